//! The request text parser (curl, PowerShell, raw HTTP, a bare URL) with the environment of
//! each kind of host. Any panic is a bug; so is an error without a message or whose line and
//! column are not a position in the input (the UI draws a caret there).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mi_core::endpoint::{appservice, arc, codegen, parse};

/// The environment code sees on a VM (none), on App Service and on an Arc server.
fn envs() -> [Vec<(String, String)>; 3] {
    let e = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    [
        Vec::new(),
        e(&[
            ("IDENTITY_ENDPOINT", appservice::APP_SERVICE_ENDPOINT),
            ("IDENTITY_HEADER", "a1b2c3d4-identity-header"),
            ("MSI_ENDPOINT", appservice::APP_SERVICE_ENDPOINT),
            ("MSI_SECRET", "a1b2c3d4-identity-header"),
        ]),
        e(&[
            ("IDENTITY_ENDPOINT", arc::ENDPOINT),
            ("IMDS_ENDPOINT", arc::IMDS_ENDPOINT),
        ]),
    ]
}

/// True when (line, column), both 1-based, is a character of `text` or just past the end of
/// one of its lines (where a missing thing goes). Columns count characters, as the UI's caret.
fn inside(text: &str, line: usize, column: usize) -> bool {
    let Some(l) = line.checked_sub(1).and_then(|i| text.split('\n').nth(i)) else {
        return false;
    };
    let l = l.strip_suffix('\r').unwrap_or(l);
    column >= 1 && column <= l.chars().count() + 1
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 1 << 20 {
        return;
    }
    let text = String::from_utf8_lossy(data);
    for (i, env) in envs().iter().enumerate() {
        let r = parse::parse_any(&text, env);
        if i == 1 {
            assert_eq!(r, parse::parse_any(&text, env), "deterministic");
        }
        match r {
            Ok(req) => {
                let _ = codegen::to_curl(&req);
                let _ = codegen::to_powershell(&req);
                let _ = codegen::to_raw_http(&req);
                let _ = codegen::identity_choice(&req);
                let _ = req.url.to_string();
            }
            Err(e) => {
                assert!(!e.message.trim().is_empty(), "empty message: {e:?}");
                assert!(
                    inside(&text, e.line, e.column),
                    "line {} column {} is outside the input {text:?}: {e:?}",
                    e.line,
                    e.column
                );
            }
        }
    }
});
