//! Owned text from literals without inlining an allocation and a copy at every call site
//! (`"…".to_string()` is inlined; hundreds of such sites cost kilobytes of wasm).

/// Text that becomes an owned `String`: a `&str` is copied by one shared function, a
/// `String` is moved.
pub(crate) trait Text {
    fn text(self) -> String;
}

impl Text for &str {
    #[inline(never)]
    fn text(self) -> String {
        String::from(self)
    }
}

impl Text for String {
    #[inline(always)]
    fn text(self) -> String {
        self
    }
}

/// `s.to_string()`, shared (not inlined).
#[inline(never)]
pub(crate) fn owned(s: &str) -> String {
    String::from(s)
}

/// Escapes text for XML/HTML text and double- or single-quoted attribute values.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
