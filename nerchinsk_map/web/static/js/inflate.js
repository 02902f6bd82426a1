/* nerchinsk-map: Compressed data blocks: raw DEFLATE (RFC 1951) in base64, written by
 * web/blocks.py with Python's zlib, inflated here synchronously so that a block is read the
 * moment it is asked for (DecompressionStream only answers asynchronously). Table-driven
 * Huffman decoding; any malformed input throws rather than returning wrong bytes.
 * Concatenated with the other modules (manifest.json) inside one closure by web/assets.py. */
var INFLATE = (function () {
  var LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
  var LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
    4097, 6145, 8193, 12289, 16385, 24577];
  var DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  var ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  var fixed = null;

  function fail(why) { throw new Error("inflate: " + why); }

  /* A canonical Huffman code from its code lengths: a table indexed by the next ``bits`` input
     bits (least significant first), each entry symbol << 4 | length (0: no such code). */
  function huffman(lengths) {
    var count = new Array(16).fill(0), max = 0, i;
    for (i = 0; i < lengths.length; i++) {
      count[lengths[i]]++;
      if (lengths[i] > max) max = lengths[i];
    }
    count[0] = 0;
    var next = new Array(16).fill(0), code = 0, left = 1;
    for (i = 1; i <= 15; i++) {
      left = (left << 1) - count[i];
      if (left < 0) fail("over-subscribed code");
      code = (code + count[i - 1]) << 1;
      next[i] = code;
    }
    var size = 1 << max, table = new Int32Array(size);
    for (i = 0; i < lengths.length; i++) {
      var len = lengths[i];
      if (!len) continue;
      var c = next[len]++, r = 0;
      for (var k = 0; k < len; k++) { r = (r << 1) | (c & 1); c >>= 1; }
      for (var j = r; j < size; j += 1 << len) table[j] = (i << 4) | len;
    }
    return { table: table, bits: max };
  }

  function fixedCodes() {
    if (!fixed) {
      var lit = [], dist = [], i;
      for (i = 0; i < 288; i++) lit.push(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
      for (i = 0; i < 30; i++) dist.push(5);
      fixed = { lit: huffman(lit), dist: huffman(dist) };
    }
    return fixed;
  }

  /* The ``size`` bytes that the raw DEFLATE stream ``src`` (a Uint8Array) holds. */
  function inflate(src, size) {
    var out = new Uint8Array(size), op = 0, pos = 0, buf = 0, cnt = 0, last = 0;
    function bits(n) {
      while (cnt < n) { buf |= (pos < src.length ? src[pos] : 0) << cnt; pos++; cnt += 8; }
      var v = buf & ((1 << n) - 1);
      buf >>>= n; cnt -= n;
      return v;
    }
    function symbol(code) {
      while (cnt < code.bits) { buf |= (pos < src.length ? src[pos] : 0) << cnt; pos++; cnt += 8; }
      var e = code.table[buf & ((1 << code.bits) - 1)];
      if (!e) fail("invalid code");
      buf >>>= e & 15; cnt -= e & 15;
      return e >> 4;
    }
    function dynamicCodes() {
      var nlit = bits(5) + 257, ndist = bits(5) + 1, nclen = bits(4) + 4, i;
      if (nlit > 286 || ndist > 30) fail("too many codes");
      var cl = new Array(19).fill(0);
      for (i = 0; i < nclen; i++) cl[ORDER[i]] = bits(3);
      var clcode = huffman(cl), lengths = [];
      while (lengths.length < nlit + ndist) {
        var s = symbol(clcode);
        if (s < 16) { lengths.push(s); continue; }
        var value = 0, repeat;
        if (s === 16) {
          if (!lengths.length) fail("repeat with no length");
          value = lengths[lengths.length - 1];
          repeat = 3 + bits(2);
        } else repeat = s === 17 ? 3 + bits(3) : 11 + bits(7);
        if (lengths.length + repeat > nlit + ndist) fail("too many lengths");
        while (repeat--) lengths.push(value);
      }
      if (!lengths[256]) fail("no end-of-block code");
      return { lit: huffman(lengths.slice(0, nlit)), dist: huffman(lengths.slice(nlit)) };
    }
    while (!last) {
      last = bits(1);
      var type = bits(2);
      if (type === 0) {  // stored: the rest of this byte is skipped, then LEN, NLEN and the bytes
        buf = 0; cnt = 0;
        if (pos + 4 > src.length) fail("truncated");
        var len = src[pos] | (src[pos + 1] << 8), nlen = src[pos + 2] | (src[pos + 3] << 8);
        if ((len ^ 0xffff) !== nlen) fail("stored length");
        pos += 4;
        if (pos + len > src.length || op + len > size) fail("stored block too long");
        out.set(src.subarray(pos, pos + len), op);
        pos += len; op += len;
        continue;
      }
      if (type === 3) fail("reserved block type");
      var codes = type === 1 ? fixedCodes() : dynamicCodes();
      for (;;) {
        var s = symbol(codes.lit);
        if (s < 256) {
          if (op >= size) fail("longer than said");
          out[op++] = s;
        } else if (s === 256) {
          break;
        } else {
          s -= 257;
          if (s >= 29) fail("invalid length");
          var n = LBASE[s] + bits(LEXT[s]);
          var d = symbol(codes.dist);
          if (d >= 30) fail("invalid distance");
          var back = DBASE[d] + bits(DEXT[d]);
          if (back > op) fail("distance too far back");
          if (op + n > size) fail("longer than said");
          for (var k = 0; k < n; k++, op++) out[op] = out[op - back];
        }
      }
    }
    if (pos - (cnt >> 3) > src.length) fail("truncated");
    if (op !== size) fail("shorter than said");
    return out;
  }

  /* The text of a block: base64 of raw DEFLATE of ``size`` bytes of UTF-8. */
  function text(base64, size) {
    var bytes;
    if (typeof Uint8Array.fromBase64 === "function") {
      bytes = Uint8Array.fromBase64(base64);  // native where the browser has it
    } else {
      var raw = global.atob(base64);
      bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    }
    return new global.TextDecoder("utf-8", { fatal: true }).decode(inflate(bytes, size));
  }

  return { inflate: inflate, text: text };
})();
