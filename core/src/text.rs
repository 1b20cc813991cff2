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
