/* nerchinsk-map: The page's public API: window.NerchinskMap.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
global.NerchinskMap = {
  geoJsonLayer: geoJsonLayer,
  layerControl: layerControl,
  legend: legend,
  titleBox: titleBox,
  mapControls: mapControls,
  credits: credits,
  timeControl: timeControl,
  reader: reader,
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
