/**
 * The run script's JSON reader: a POSIX awk program (mawk, busybox and gawk all run it), since
 * every base image has awk and few have jq. It reads one JSON document on standard input (what
 * follows the first value is ignored, as Go's decoder does) and evaluates the program of
 * json-path.ts, given in LADING_JSON_PATH, printing the value as Porter's exec mixin writes an
 * output: a string, number or boolean as it is, null as <nil>, a list or an object as Go's
 * json.Marshal writes it (keys sorted, no spaces, <, > and & escaped). Empty input prints
 * nothing. Exit status 2: the input is not JSON; 3: a plain path selects nothing.
 * It runs with LC_ALL=C, so that a character is a byte.
 */
export const jsonReaderAwk = String.raw`
function fail(status, message) {
  printf "lading: %s\n", message > "/dev/stderr"
  FAILED = status
  exit status
}
function node(type) { NODES++; T[NODES] = type; N[NODES] = 0; return NODES }
function space(   c) {
  while (P <= L) {
    c = substr(DOC, P, 1)
    if (c != " " && c != "\t" && c != "\n" && c != "\r") return
    P++
  }
}
function hex4(text,   i, d, v) {
  v = 0
  for (i = 1; i <= 4; i++) {
    d = index("0123456789abcdef", tolower(substr(text, i, 1)))
    if (d == 0) fail(2, "the step output is not JSON: a \\u escape needs four hexadecimal digits")
    v = v * 16 + d - 1
  }
  return v
}
function utf8(cp) {
  if (cp < 128) return sprintf("%c", cp)
  if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
  if (cp < 65536) return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
  return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64, 128 + cp % 64)
}
function text(   out, c, start, cp, low) {
  P++
  out = ""
  for (;;) {
    if (P > L) fail(2, "the step output is not JSON: a string is never closed")
    c = substr(DOC, P, 1)
    if (c == "\"") { P++; return out }
    if (c == "\\") {
      c = substr(DOC, P + 1, 1)
      P += 2
      if (c == "n") out = out "\n"
      else if (c == "t") out = out "\t"
      else if (c == "r") out = out "\r"
      else if (c == "b") out = out "\b"
      else if (c == "f") out = out "\f"
      else if (c == "/" || c == "\\" || c == "\"") out = out c
      else if (c == "u") {
        cp = hex4(substr(DOC, P, 4))
        P += 4
        if (cp >= 55296 && cp < 56320 && substr(DOC, P, 2) == "\\u") {
          low = hex4(substr(DOC, P + 2, 4))
          if (low >= 56320 && low < 57344) { cp = 65536 + (cp - 55296) * 1024 + (low - 56320); P += 6 }
          else cp = 65533
        } else if (cp >= 55296 && cp < 57344) cp = 65533
        out = out utf8(cp)
      } else fail(2, "the step output is not JSON: a string has an unknown escape")
      continue
    }
    start = P
    while (P <= L) {
      c = substr(DOC, P, 1)
      if (c == "\"" || c == "\\") break
      if (ORD[c] < 32) fail(2, "the step output is not JSON: a string holds a control character")
      P++
    }
    out = out substr(DOC, start, P - start)
  }
}
# After an entry of an object or a list: 1 when another follows, 0 when closer ends it.
function more(closer, what,   c) {
  space()
  c = substr(DOC, P, 1)
  P++
  if (c == closer) return 0
  if (c != ",") fail(2, "the step output is not JSON: expected , or " closer " in " what)
  return 1
}
function value(   c, id, n, key, number) {
  space()
  if (P > L) fail(2, "the step output is not JSON: it ends too early")
  c = substr(DOC, P, 1)
  if (c == "{") {
    id = node("o"); P++; space()
    if (substr(DOC, P, 1) == "}") { P++; return id }
    for (n = 1; ; n++) {
      space()
      if (substr(DOC, P, 1) != "\"") fail(2, "the step output is not JSON: an object key must be a string")
      key = text()
      space()
      if (substr(DOC, P, 1) != ":") fail(2, "the step output is not JSON: a key must be followed by :")
      P++
      K[id, n] = key
      C[id, n] = value()
      N[id] = n
      if (!more("}", "an object")) return id
    }
  }
  if (c == "[") {
    id = node("a"); P++; space()
    if (substr(DOC, P, 1) == "]") { P++; return id }
    for (n = 1; ; n++) {
      C[id, n] = value()
      N[id] = n
      if (!more("]", "a list")) return id
    }
  }
  if (c == "\"") { id = node("s"); V[id] = text(); return id }
  if (substr(DOC, P, 4) == "true") { P += 4; id = node("b"); V[id] = "true"; return id }
  if (substr(DOC, P, 5) == "false") { P += 5; id = node("b"); V[id] = "false"; return id }
  if (substr(DOC, P, 4) == "null") { P += 4; return 0 }
  number = substr(DOC, P, 512)
  if (match(number, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/)) {
    id = node("n"); V[id] = substr(number, 1, RLENGTH); P += RLENGTH; return id
  }
  fail(2, "the step output is not JSON: it has " c " where a value belongs")
}
# The child of v at key (an object's last entry of that name; a list's index): -1 when there is none, 0 (null) past a list's end.
function pick(v, kind, key,   j, found, p) {
  if (T[v] == "o") {
    found = -1
    for (j = 1; j <= N[v]; j++) if (K[v, j] == key "") found = C[v, j]
    return found
  }
  if (T[v] == "a") {
    if (kind == "k" && key !~ /^-?[0-9]+$/) return -1
    p = key + 0
    if (p < 0) p = N[v] + p
    if (p < 0 || p >= N[v]) return 0
    return C[v, p + 1]
  }
  return -1
}
function emit(id) { M++; NEXT[M] = id }
# Every child: a list's in order; an object's once per key, with its last value.
function children(v, mode,   j, k, later) {
  if (T[v] == "a") { for (j = 1; j <= N[v]; j++) if (mode == "emit") emit(C[v, j]); else descend(C[v, j]); return }
  if (T[v] != "o") return
  for (j = 1; j <= N[v]; j++) {
    later = 0
    for (k = j + 1; k <= N[v]; k++) if (K[v, k] == K[v, j]) later = 1
    if (later) continue
    if (mode == "emit") emit(C[v, j]); else descend(C[v, j])
  }
}
function descend(v) { emit(v); children(v, "descend") }
function bound(n, size) {
  if (n < 0) { n = size + n; if (n < 0) n = 0 }
  else if (n > size) n = size
  return n
}
function apply(v, f, count,   id, j, lo, hi, step, i) {
  if (f[1] == "K" || f[1] == "I") {
    id = pick(v, f[1] == "K" ? "k" : "i", f[2])
    if (id >= 0) emit(id)
    else if (MODE == "one") fail(3, "the step output has no " (f[1] == "K" ? "key " f[2] : "index " f[2]) " where the jsonPath looks")
    return
  }
  if (f[1] == "*") { children(v, "emit"); return }
  if (f[1] == "D") { descend(v); return }
  if (f[1] == "U") {
    for (j = 2; j <= count; j++) { id = pick(v, substr(f[j], 1, 1), substr(f[j], 2)); if (id >= 0) emit(id) }
    return
  }
  if (f[1] == "R" && T[v] == "a") {
    lo = bound(f[2] + 0, N[v]); hi = bound(f[3] + 0, N[v]); step = f[4] + 0
    if (lo > hi) return
    if (step > 0) { for (i = lo; i < hi; i += step) emit(C[v, i + 1]) }
    else { for (i = hi - 1; i >= lo; i += step) emit(C[v, i + 1]) }
  }
}
function quote(s,   out, i, c, o, n) {
  out = "\""
  n = length(s)
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    o = ORD[c]
    if (c == "\"") out = out "\\\""
    else if (c == "\\") out = out "\\\\"
    else if (c == "\n") out = out "\\n"
    else if (c == "\r") out = out "\\r"
    else if (c == "\t") out = out "\\t"
    else if (o == 8) out = out "\\b"
    else if (o == 12) out = out "\\f"
    else if (o < 32) out = out sprintf("\\u%04x", o)
    else if (c == "<") out = out "\\u003c"
    else if (c == ">") out = out "\\u003e"
    else if (c == "&") out = out "\\u0026"
    else if (o == 226 && ORD[substr(s, i + 1, 1)] == 128 && (ORD[substr(s, i + 2, 1)] == 168 || ORD[substr(s, i + 2, 1)] == 169)) {
      out = out (ORD[substr(s, i + 2, 1)] == 168 ? "\\u2028" : "\\u2029")
      i += 2
    } else out = out c
  }
  return out "\""
}
function marshal(v,   out, j, k, n, keys, vals, later, key, t) {
  if (T[v] == "s") return quote(V[v])
  if (T[v] == "n" || T[v] == "b") return V[v]
  if (T[v] == "z") return "null"
  if (T[v] == "a") {
    out = "["
    for (j = 1; j <= N[v]; j++) out = out (j > 1 ? "," : "") marshal(C[v, j])
    return out "]"
  }
  n = 0
  for (j = 1; j <= N[v]; j++) {
    later = 0
    for (k = j + 1; k <= N[v]; k++) if (K[v, k] == K[v, j]) later = 1
    if (later) continue
    n++; keys[n] = K[v, j]; vals[n] = C[v, j]
    # Insertion sort by bytes: Go writes an object's keys in sorted order.
    for (k = n; k > 1 && keys[k - 1] > keys[k]; k--) {
      key = keys[k]; keys[k] = keys[k - 1]; keys[k - 1] = key
      t = vals[k]; vals[k] = vals[k - 1]; vals[k - 1] = t
    }
  }
  out = "{"
  for (j = 1; j <= n; j++) out = out (j > 1 ? "," : "") quote(keys[j]) ":" marshal(vals[j])
  return out "}"
}
function show(v) {
  if (T[v] == "s" || T[v] == "n" || T[v] == "b") return V[v]
  if (T[v] == "z") return MODE == "field" ? "" : "<nil>"
  return marshal(v)
}
BEGIN {
  for (i = 1; i < 256; i++) ORD[sprintf("%c", i)] = i
  T[0] = "z"
}
{ DOC = NR == 1 ? $0 : DOC "\n" $0 }
END {
  if (FAILED) exit FAILED
  if (NR == 0) exit 0
  L = length(DOC)
  P = 1
  root = value()
  lines = split(ENVIRON["LADING_JSON_PATH"], PROGRAM, "\n")
  MODE = PROGRAM[1]
  count = 1
  CURRENT[1] = root
  for (s = 2; s <= lines; s++) {
    fields = split(PROGRAM[s], f, "\t")
    M = 0
    for (j = 1; j <= count; j++) apply(CURRENT[j], f, fields)
    for (j = 1; j <= M; j++) CURRENT[j] = NEXT[j]
    count = M
  }
  if (MODE == "all") {
    out = "["
    for (j = 1; j <= count; j++) out = out (j > 1 ? "," : "") marshal(CURRENT[j])
    printf "%s", out "]"
  } else if (count > 0) printf "%s", show(CURRENT[1])
}
`;
