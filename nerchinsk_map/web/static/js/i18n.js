/* nerchinsk-map: Languages: the message catalog, data texts, names, the language switch and credits.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
/* Languages: the page's words come from one message catalog (messages.json), keyed by the
   English text; feature names from name / name_ru / name_zh. */
var I18N = { lang: "en", messages: {}, texts: {}, languages: { en: "English" } };
var CODES = { en: "en", ru: "ru", zh: "zh-Hans" };  // for lang attributes

function t(text) {
  var table = messagesIn(I18N.lang);
  return Object.prototype.hasOwnProperty.call(table, text) ? table[text] : text;
}

/* The page's words in ``lang``: given at setup (the opening language's), else from the language's
   block (web/controls.py Languages), parsed on first use; English is the keys themselves. */
function messagesIn(lang) {
  if (!Object.prototype.hasOwnProperty.call(I18N.messages, lang)) I18N.messages[lang] = block("nm-messages-" + lang) || {};
  return I18N.messages[lang];
}

/* A text from the data (a role, a note, a method, a source) in the reader's language, from
   the layers' translation files; untranslated text stays English and says so (lang="en"). */
function dataText(text) {
  var table = textsIn(I18N.lang);
  if (I18N.lang !== "en" && Object.prototype.hasOwnProperty.call(table, text)) {
    return { text: table[text], lang: null };
  }
  return { text: text, lang: I18N.lang === "en" ? null : "en" };
}

/* The data's texts in ``lang`` (its JSON block, parsed on first use). */
function textsIn(lang) {
  if (!Object.prototype.hasOwnProperty.call(I18N.texts, lang)) I18N.texts[lang] = block("nm-texts-" + lang) || {};
  return I18N.texts[lang];
}

/* A node holding a data text in the reader's language (or in English, marked as such). */
function dataNode(tag, className, text) {
  var found = dataText(text);
  var node = el(tag, className, found.text);
  if (found.lang) {
    node.lang = found.lang;
    node.classList.add("nm-untranslated");
  }
  return node;
}

/* Numbers in the reader's conventions (1,234.5 / 1 234,5 / 1,234.5). */
function number(value) {
  return value.toLocaleString(CODES[I18N.lang] || "en");
}

function nameIn(props, lang) {
  var own = lang === "en" ? props.name : props["name_" + lang];
  return isBlank(own) ? props.name : own;
}

/* A layer's title or description in the current language, from the catalog's i18n entry. */
function layerText(spec, key) {
  var own = spec.i18n && spec.i18n[I18N.lang] && spec.i18n[I18N.lang][key];
  return own || spec[key] || "";
}

function langFromHash() {
  var m = /(?:^#|&)lang=([a-z]{2})/.exec(global.location.hash || "");
  return m && I18N.languages[m[1]] ? m[1] : null;
}

function dateRange(props) {
  var start = props.start_date, end = props.end_date;
  if (isBlank(start) && isBlank(end)) return null;
  if (isBlank(end)) return t("from") + " " + start;
  if (isBlank(start)) return t("until") + " " + end;
  return start + " – " + end;
}

/* Set up the languages before any control is drawn: the catalog of messages, the default
   language, and the one asked for in the URL (#lang=ru). */
function setupLanguages(map, catalog, defaultLang, texts) {
  I18N.messages = catalog;
  I18N.texts = texts || {};  // else each language's texts come from their block when needed
  I18N.languages = catalog.languages || I18N.languages;
  I18N.lang = langFromHash() || defaultLang || "en";
  document.documentElement.lang = CODES[I18N.lang];
}

/* Switch every word of the page: controls are rebuilt, labels and popups follow. */
function setLanguage(map, lang) {
  if (!I18N.languages[lang]) return;
  swapCredits(map, function () { I18N.lang = lang; });
  document.documentElement.lang = CODES[lang];
  if (map._loaded) refit(map);  // the panels' new widths
  rememberState();  // a link opens in this language
  map.closePopup();
  LAYERS.forEach(function (layer) { layer.nmRelabel(); });
  var active = document.activeElement && document.activeElement.getAttribute("data-lang");
  CONTROLS.forEach(function (control) { control.remove(); control.addTo(map); });
  if (active) {
    var again = document.querySelector(".nm-lang button[data-lang='" + active + "']");
    if (again) again.focus();
  }
}

function languageSwitch(map) {
  var nav = el("div", "nm-lang");
  nav.setAttribute("role", "group");
  nav.setAttribute("aria-label", t("Language"));
  Object.keys(I18N.languages).forEach(function (lang) {
    var b = el("button", null, I18N.languages[lang]);
    b.type = "button";
    b.lang = CODES[lang];
    b.setAttribute("data-lang", lang);
    b.setAttribute("aria-pressed", String(lang === I18N.lang));
    b.addEventListener("click", function () { setLanguage(map, lang); });
    nav.appendChild(b);
  });
  return nav;
}

/* Credits: the tiles' and the catalog's, in the reader's language (from the message catalog);
   Leaflet's own link stays, marked as English. */
var CREDITS = [];
L.Layer.prototype.getAttribution = function () {
  return this.options.attribution ? t(this.options.attribution) : this.options.attribution;
};
function credits(map, text) {
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" lang="en">Leaflet</a>');
  CREDITS.push(text);
  map.attributionControl.addAttribution(t(text));
}

/* Change the language with the credits swapped: each is taken off in the old language and
   put back in the new one. */
function swapCredits(map, change) {
  var control = map.attributionControl;
  var layers = [];
  map.eachLayer(function (layer) { if (layer.getAttribution && layer.getAttribution()) layers.push(layer); });
  if (control) {
    layers.forEach(function (layer) { control.removeAttribution(layer.getAttribution()); });
    CREDITS.forEach(function (text) { control.removeAttribution(t(text)); });
  }
  change();
  if (control) {
    layers.forEach(function (layer) { control.addAttribution(layer.getAttribution()); });
    CREDITS.forEach(function (text) { control.addAttribution(t(text)); });
  }
}
