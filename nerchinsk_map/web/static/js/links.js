/* nerchinsk-map: Links from a popup to the gazetteers (Wikidata, GeoNames).
 * A link is built only from an identifier of the gazetteer's form (Q and digits; digits),
 * never from any other text of the data. */
var GAZETTEERS = [
  { field: "wikidata", label: "Wikidata", pattern: /^Q[1-9][0-9]*$/, base: "https://www.wikidata.org/wiki/" },
  { field: "geonames", label: "GeoNames", pattern: /^[1-9][0-9]*$/, base: "https://www.geonames.org/" }
];

/* A "Gazetteers" row in the popup's table when the feature has a valid identifier. */
function gazetteerRow(table, props) {
  var cell = el("td", "nm-gazetteers");
  GAZETTEERS.forEach(function (g) {
    var id = props[g.field];
    if (typeof id !== "string" || !g.pattern.test(id)) return;
    if (cell.childNodes.length) cell.appendChild(document.createTextNode(" · "));
    var a = el("a", "nm-gazetteer-link", g.label + " " + id);
    a.href = g.base + id;
    a.rel = "external noopener noreferrer";
    a.lang = "en";  /* the gazetteers' own names */
    a.setAttribute("data-gazetteer", g.field);
    cell.appendChild(a);
  });
  if (!cell.childNodes.length) return;
  var tr = el("tr");
  tr.appendChild(el("th", null, t("Gazetteers")));
  tr.appendChild(cell);
  table.appendChild(tr);
}
