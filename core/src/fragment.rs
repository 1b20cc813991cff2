//! The URL fragment as the app's state store.
//!
//! Every page keeps its state in the fragment (`#/decoder?token=…&embed=1`), never in the
//! query string or in storage, so nothing reaches a server and any static host works.
//! This module parses and formats that fragment; the UI only reads and writes `location.hash`.

/// A parsed fragment: the route path and its parameters, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fragment {
    /// Route path, always starting with `/` (`/`, `/flows`, `/imds`, `/decoder`, …).
    pub path: String,
    /// Parameters in the order they appeared, percent-decoded.
    pub params: Vec<(String, String)>,
}

/// The parameter that carries a simulated world's start time (unix seconds), so a share link
/// reproduces its exact bytes, GUIDs and tokens. Without it a world starts at the visitor's
/// clock.
pub const START_PARAM: &str = "t";

/// Parameter names that jwt.ms / jwt.io put directly in the fragment (`#access_token=…`).
const TOKEN_ALIASES: [&str; 4] = ["access_token", "id_token", "token", "value"];

impl Fragment {
    /// Parses `location.hash` (with or without the leading `#`).
    ///
    /// jwt.ms / jwt.io style fragments (`#access_token=…`, `#id_token=…`, `#token=…`,
    /// `#value=…`) are read as the decoder with that token, so their links open here too.
    pub fn parse(hash: &str) -> Fragment {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        if !hash.starts_with('/') {
            let params = parse_params(hash);
            let token = params
                .iter()
                .find(|(k, _)| TOKEN_ALIASES.contains(&k.as_str()))
                .map(|(_, v)| v.clone());
            return match token {
                Some(token) => Fragment {
                    path: "/decoder".into(),
                    params: vec![("token".into(), token)],
                },
                None => Fragment {
                    path: "/".into(),
                    params,
                },
            };
        }
        let (path, query) = match hash.split_once('?') {
            Some((p, q)) => (p, q),
            None => (hash, ""),
        };
        Fragment {
            path: percent_decode(path),
            params: parse_params(query),
        }
    }

    /// Formats the fragment, including the leading `#`.
    pub fn to_hash(&self) -> String {
        let mut out = String::with_capacity(self.path.len() + 1 + self.params.len() * 16);
        out.push('#');
        // Encoded like the parameters: `parse` decodes the path, so a decoded `?`, `%` or `+`
        // written back raw would read back as a query, an escape or a space.
        crate::percent::encode_into(&self.path, FRAGMENT_SAFE, &mut out);
        for (i, (k, v)) in self.params.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            crate::percent::encode_into(k, FRAGMENT_SAFE, &mut out);
            out.push('=');
            crate::percent::encode_into(v, FRAGMENT_SAFE, &mut out);
        }
        out
    }

    /// The first value of a parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets a parameter, keeping its position if present; an empty value removes it.
    pub fn set(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            self.params.retain(|(k, _)| k != key);
            return;
        }
        match self.params.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.params.push((key.to_string(), value.to_string())),
        }
    }

    /// When a simulated world starts: the link's `t=` (unix seconds) if it has a valid one,
    /// else `now` rounded down to the minute. The second value says why a `t=` was not used.
    pub fn world_start(&self, now: u64) -> (u64, Option<String>) {
        let fallback = crate::cloud::time::start_of_minute(now);
        match self.get(START_PARAM).map(str::trim) {
            None | Some("") => (fallback, None),
            Some(t) => match t.parse::<u64>() {
                // Up to 9999-12-31: the calendar code and every client read such times.
                Ok(v) if v <= MAX_START => (v, None),
                _ => (
                    fallback,
                    Some(format!(
                        "The link's start time t={t} is not a Unix time in seconds (0 to {MAX_START}); the simulated world starts now instead."
                    )),
                ),
            },
        }
    }

    /// True when the page should render as an embedded widget (`embed=1`).
    pub fn is_embed(&self) -> bool {
        matches!(self.get("embed"), Some("1" | "true"))
    }

    /// The theme forced by the fragment (`theme=light|dark|auto`), if valid.
    pub fn theme(&self) -> Option<Theme> {
        self.get("theme").and_then(Theme::parse)
    }
}

/// The latest start time a link may carry: 9999-12-31T23:59:59Z.
const MAX_START: u64 = 253_402_300_799;

/// Colour theme: follow the system, or forced light / dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    pub fn parse(s: &str) -> Option<Theme> {
        match s {
            "auto" => Some(Theme::Auto),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// The value used in the fragment, in storage and in `data-theme`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::Auto => "Auto (system)",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

fn parse_params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

/// Percent-decodes `%XX` escapes and `+` (as space, like form encoding). Invalid escapes are
/// kept literally and invalid UTF-8 becomes U+FFFD: a hand-edited link must never fail to load.
pub fn percent_decode(s: &str) -> String {
    let bytes = crate::percent::decode_bytes(s, false).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Percent-encodes everything but the RFC 3986 unreserved set (and `/`, `:`), so tokens
/// (base64url and `.`) and paths stay readable in the address bar.
pub fn percent_encode(s: &str) -> String {
    crate::percent::encode(s, FRAGMENT_SAFE)
}

/// Kept as is in the fragment, besides the unreserved set.
const FRAGMENT_SAFE: &[u8] = b"/:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_start_comes_from_the_link_or_the_visitors_clock() {
        let now = 1_796_083_263; // 2026-12-01T00:01:03Z
        assert_eq!(
            Fragment::parse("#/imds").world_start(now),
            (1_796_083_260, None)
        );
        assert_eq!(
            Fragment::parse("#/imds?t=1764547200").world_start(now),
            (1_764_547_200, None)
        );
        let (start, why) = Fragment::parse("#/imds?t=yesterday").world_start(now);
        assert_eq!(start, 1_796_083_260);
        assert_eq!(
            why.as_deref(),
            Some("The link's start time t=yesterday is not a Unix time in seconds (0 to 253402300799); the simulated world starts now instead.")
        );
        assert_eq!(
            Fragment::parse("#/imds?t=253402300800").world_start(now).0,
            1_796_083_260
        );
    }

    #[test]
    fn parses_route_and_params_in_order() {
        let f = Fragment::parse("#/decoder?token=a.b.c&embed=1&theme=dark");
        assert_eq!(f.path, "/decoder");
        assert_eq!(
            f.params,
            vec![
                ("token".into(), "a.b.c".into()),
                ("embed".into(), "1".into()),
                ("theme".into(), "dark".into())
            ]
        );
        assert!(f.is_embed());
        assert_eq!(f.theme(), Some(Theme::Dark));
    }

    #[test]
    fn empty_and_bare_fragments_are_the_tour() {
        assert_eq!(Fragment::parse("").path, "/");
        assert_eq!(Fragment::parse("#").path, "/");
        assert_eq!(Fragment::parse("#/").path, "/");
        assert!(!Fragment::parse("#/imds").is_embed());
    }

    #[test]
    fn jwt_ms_aliases_open_the_decoder() {
        for alias in ["access_token", "id_token", "token", "value"] {
            let f = Fragment::parse(&format!("#{alias}=eyJ.x.y&state=1"));
            assert_eq!(f.path, "/decoder", "{alias}");
            assert_eq!(f.get("token"), Some("eyJ.x.y"));
            assert_eq!(f.params.len(), 1, "other jwt.ms parameters are dropped");
        }
        assert_eq!(Fragment::parse("#state=1").path, "/");
    }

    #[test]
    fn round_trips_through_the_hash() {
        let mut f = Fragment::parse("#/imds");
        f.set("req", "GET /x?a=1&b=2 HTTP/1.1\r\nMetadata: true");
        f.set("theme", "light");
        let again = Fragment::parse(&f.to_hash());
        assert_eq!(again, f);
        f.set("theme", "");
        assert_eq!(f.get("theme"), None);
        f.set("req", "new");
        assert_eq!(f.params[0], ("req".into(), "new".into()));
    }

    #[test]
    fn round_trips_a_path_with_escapes() {
        // Found by the `fragment` fuzz target: the decoded path was written back unencoded.
        for hash in ["#/a%2Bb", "#/a%3Fb=c", "#/%2541", "#/x%26y%3Dz%20w?k=v"] {
            let f = Fragment::parse(hash);
            assert_eq!(Fragment::parse(&f.to_hash()), f, "{hash}");
        }
        assert_eq!(Fragment::parse("#/a%2Bb").to_hash(), "#/a%2Bb");
        assert_eq!(
            Fragment::parse("#/de%63oder?token=a.b").to_hash(),
            "#/decoder?token=a.b"
        );
    }

    #[test]
    fn bad_escapes_never_fail() {
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
        assert_eq!(percent_decode("a+b%20c"), "a b c");
        assert_eq!(percent_encode("a b&c=é"), "a%20b%26c%3D%C3%A9");
    }

    #[test]
    fn theme_values() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), Some(t));
        }
        assert_eq!(Theme::parse("pink"), None);
    }
}
