/* nerchinsk-map: The page's public API: window.NerchinskMap.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
global.NerchinskMap = {
  geoJsonLayer: geoJsonLayer,
  tileLayer: tileLayer,
  layerControl: queued(layerControl),  // prepaint.js: after the first frame of a two-step opening
  legend: queued(legend),
  titleBox: queued(titleBox),
  mapControls: queued(mapControls),
  credits: queued(credits),
  timeControl: queued(timeControl),
  reader: queued(reader),
  setupLanguages: setupLanguages,
  setLanguage: setLanguage,
  t: t,
  dataText: dataText,
  yearOf: yearOf,
  dates: DATES,
  popupContent: popupContent,
  fitPopup: fitPopup,
  fitView: fitView,
  afterFirstPaint: afterFirstPaint,
  layerData: layerData,
  decodeLayer: decodeLayer,
  setOpen: function (map, name, open) { setOpen(map, name, open); },
  currentHash: currentHash,
  layers: function () { return LAYERS.slice(); }
};
