//! The URL fragment, the app's state store (`#/imds?host=vm-web&req=…`, jwt.ms-style
//! `#access_token=…`). Any panic is a bug; so is a parsed fragment that does not survive
//! `to_hash` → `parse`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_core::embed::{choices, embed_fragment, parse_max_height, snippet};
use mi_core::fragment::{Fragment, Theme};

fuzz_target!(|data: &[u8]| {
    if data.len() > 1 << 20 {
        return;
    }
    let input = String::from_utf8_lossy(data);
    let f = Fragment::parse(&input);
    assert!(f.path.starts_with('/'), "path {:?} of {input:?}", f.path);
    let hash = f.to_hash();
    assert_eq!(Fragment::parse(&hash), f, "round trip through {hash:?}");
    let _ = f.is_embed();
    let _ = f.theme();
    if let Some((k, _)) = f.params.first() {
        let _ = f.get(k);
    }
    let mut g = f.clone();
    g.set("embed", "1");
    assert_eq!(Fragment::parse(&g.to_hash()), g, "round trip after set");
    // Every embed the page would offer: never a pasted token or text, never the start time.
    for c in choices(&f) {
        let e = embed_fragment(&c, Theme::Dark);
        for private in ["token", "compare", "text", "t"] {
            assert!(
                e.get(private).is_none(),
                "{private} in embed {:?}",
                e.to_hash()
            );
        }
        let _ = snippet(
            "https://example.org/tools/mi/index.html",
            &e,
            &input,
            parse_max_height(&input).ok().flatten(),
        );
    }
});
