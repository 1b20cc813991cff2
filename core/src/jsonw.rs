//! A tiny streaming JSON writer for the simulator's fixed-shape bodies and `az` outputs.
//!
//! It writes exactly what `serde_json::to_string` (compact) and `to_string_pretty` (2-space
//! indent) would print for the same keys in the same order, without building a `Value` first:
//! building maps of owned keys costs far more wasm than writing the text. Only strings,
//! integers, booleans, `null`, objects and arrays are needed.

use std::fmt::Write as _;

/// A JSON text being written. Objects and arrays are opened with [`Json::obj`] /
/// [`Json::arr`] and closed with [`Json::end`]; object members start with [`Json::key`] and
/// array elements with [`Json::el`].
pub(crate) struct Json {
    out: String,
    pretty: bool,
    depth: usize,
    /// No member written yet in the innermost open container.
    first: bool,
    /// Closing brackets of the open containers.
    stack: Vec<u8>,
}

impl Json {
    /// A compact writer (`serde_json::to_string`).
    pub(crate) fn compact() -> Json {
        Json {
            out: String::new(),
            pretty: false,
            depth: 0,
            first: true,
            stack: Vec::new(),
        }
    }

    /// A pretty writer (`serde_json::to_string_pretty`).
    pub(crate) fn pretty() -> Json {
        Json {
            pretty: true,
            ..Json::compact()
        }
    }

    fn open(&mut self, open: char, close: u8) -> &mut Self {
        self.out.push(open);
        self.stack.push(close);
        self.depth += 1;
        self.first = true;
        self
    }

    /// Opens an object.
    pub(crate) fn obj(&mut self) -> &mut Self {
        self.open('{', b'}')
    }

    /// Opens an array.
    pub(crate) fn arr(&mut self) -> &mut Self {
        self.open('[', b']')
    }

    fn newline(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str("  ");
            }
        }
    }

    /// Closes the innermost object or array.
    pub(crate) fn end(&mut self) -> &mut Self {
        self.depth -= 1;
        if !self.first {
            self.newline();
        }
        let c = self.stack.pop().unwrap_or(b'}');
        self.out.push(c as char);
        self.first = false;
        self
    }

    /// Starts an array element.
    pub(crate) fn el(&mut self) -> &mut Self {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.newline();
        self
    }

    /// Starts an object member.
    pub(crate) fn key(&mut self, k: &str) -> &mut Self {
        self.el();
        self.str(k);
        self.out.push_str(if self.pretty { ": " } else { ":" });
        self
    }

    /// A string value, escaped as serde_json escapes it.
    pub(crate) fn str(&mut self, s: &str) -> &mut Self {
        self.out.push('"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let esc = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&s[start..i]);
            if esc.is_empty() {
                let _ = write!(self.out, "\\u{b:04x}");
            } else {
                self.out.push_str(esc);
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
        self
    }

    /// A string value or `null`.
    pub(crate) fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// An unsigned integer.
    pub(crate) fn num(&mut self, n: u64) -> &mut Self {
        let _ = write!(self.out, "{n}");
        self
    }

    /// Literal JSON (`null`, `true`, `{}` …).
    pub(crate) fn raw(&mut self, s: &str) -> &mut Self {
        self.out.push_str(s);
        self
    }

    /// `null`.
    pub(crate) fn null(&mut self) -> &mut Self {
        self.raw("null")
    }

    /// The text written so far.
    pub(crate) fn done(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::Json;
    use serde_json::json;

    #[test]
    fn matches_serde_json() {
        let v = json!({"a": "x\"\\\n\u{1}é/", "b": 3, "c": null, "d": {}, "e": [], "f": [1, "2", {"g": true}], "h": {"i": {"j": []}}});
        for pretty in [false, true] {
            let mut j = if pretty {
                Json::pretty()
            } else {
                Json::compact()
            };
            j.obj().key("a").str("x\"\\\n\u{1}é/").key("b").num(3);
            j.key("c").null().key("d").obj().end().key("e").arr().end();
            j.key("f").arr().el().num(1).el().str("2").el().obj();
            j.key("g").raw("true").end().end();
            j.key("h")
                .obj()
                .key("i")
                .obj()
                .key("j")
                .arr()
                .end()
                .end()
                .end();
            j.end();
            let want = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                v.to_string()
            };
            assert_eq!(j.done(), want);
        }
    }
}
