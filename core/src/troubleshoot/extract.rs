//! The values an error text names: object and client ids, tenants, audiences, scopes, roles
//! and denied actions, ARM ids, the identity selector sent, a federated assertion's issuer,
//! subject and audience, and tokens. Hand-written scanning: every pass is linear in the text,
//! and each list stops at [`MAX_ITEMS`] values (the scan stops looking once it is full).

use crate::arm::ArmId;

/// At most this many values per list.
pub const MAX_ITEMS: usize = 8;
/// Longer values are not taken (an id, URL or token fits comfortably).
const MAX_VALUE: usize = 8 * 1024;
/// At most this many GUIDs are classified (each costs a look at its left context).
const MAX_GUIDS: usize = 512;

/// A federated assertion as Entra quotes it (AADSTS70021, AADSTS700213, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assertion {
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub audience: Option<String>,
}

impl Assertion {
    pub fn is_empty(&self) -> bool {
        self.issuer.is_none() && self.subject.is_none() && self.audience.is_none()
    }
}

/// What the text names, each list in order of first appearance, without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Object (principal) ids: `oid=`, `object id '…'`, `object_id=`, `principal_id=`.
    pub object_ids: Vec<String>,
    /// Client (application) ids: `appid=`, `client_id=`, `Application with identifier '…'`.
    pub client_ids: Vec<String>,
    /// Tenant ids: `tid=`, `https://sts.windows.net/<tid>/`, `tenant …`.
    pub tenant_ids: Vec<String>,
    /// Audiences / resources requested or presented (`resource=`, `found: …`, `resource
    /// principal named …`).
    pub resources: Vec<String>,
    /// OAuth scopes (`…/.default`).
    pub scopes: Vec<String>,
    /// Role names mentioned, and denied actions (`Microsoft.KeyVault/vaults/secrets/getSecret/action`).
    pub roles: Vec<String>,
    /// ARM resource ids.
    pub resource_ids: Vec<String>,
    /// Identity selectors the request carried, as written (`client_id=…`).
    pub selectors: Vec<String>,
    pub assertion: Assertion,
    /// Compact JWTs found in the text.
    pub tokens: Vec<String>,
}

impl Extracted {
    pub fn is_empty(&self) -> bool {
        *self == Extracted::default()
    }
}

fn push(list: &mut Vec<String>, value: &str) {
    let v = value.trim();
    if v.is_empty()
        || v.len() > MAX_VALUE
        || list.len() >= MAX_ITEMS
        || list.iter().any(|x| x.eq_ignore_ascii_case(v))
    {
        return;
    }
    list.push(v.to_string());
}

/// The next position of `needle` (lower-case ASCII) in `hay` (the lower-cased text), at or
/// after `from`. `str::find` (Two-Way with a fast prefilter) keeps the many passes cheap.
fn find(hay: &str, needle: &[u8], from: usize) -> Option<usize> {
    let needle = std::str::from_utf8(needle).ok()?;
    let mut from = from;
    // `from` follows an ASCII byte everywhere it is computed; step to a boundary regardless.
    while from < hay.len() && !hay.is_char_boundary(from) {
        from += 1;
    }
    if needle.is_empty() || from >= hay.len() {
        return None;
    }
    hay.get(from..)?.find(needle).map(|p| p + from)
}

/// The value starting at `start` (an optional opening quote skipped) up to the first byte in
/// `stop` (or a control byte), if it is a sensible length. Returns the value and where it ends.
fn value_at<'t>(text: &'t str, start: usize, stop: &[u8]) -> Option<(&'t str, usize)> {
    let b = text.as_bytes();
    let mut s = start;
    while s < start + 2 && b.get(s) == Some(&b' ') {
        s += 1;
    }
    if matches!(b.get(s), Some(b'"' | b'\'')) {
        s += 1;
    }
    let mut e = s;
    while let Some(&c) = b.get(e) {
        if stop.contains(&c) || c < 0x20 || e - s > MAX_VALUE {
            break;
        }
        e += 1;
    }
    // Cut back to a character boundary (stops are ASCII, but the length cap is not).
    while e > s && !text.is_char_boundary(e) {
        e -= 1;
    }
    let v = text.get(s..e)?;
    (!v.is_empty() && v.len() <= MAX_VALUE).then_some((v, e))
}

/// Every value after `marker` (lower-case), each up to a byte of `stop`.
fn after_marker(
    text: &str,
    lower: &str,
    marker: &str,
    stop: &[u8],
    mut take: impl FnMut(&str, usize) -> bool,
) {
    let mut from = 0;
    while let Some(p) = find(lower, marker.as_bytes(), from) {
        let start = p + marker.len();
        from = start;
        if let Some((v, end)) = value_at(text, start, stop) {
            from = end.max(start);
            if !take(v, end) {
                return;
            }
        }
    }
}

const QUOTED: &[u8] = b"'\"";
const URLISH: &[u8] = b"&'\" <>,;)]}|\\";

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn is_guid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => is_hex(*c),
        })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum IdKind {
    Object,
    Client,
    Tenant,
    Skip,
}

/// Words that name the GUID right after them (lower case). The closest one decides.
const LABELS: &[(&str, IdKind)] = &[
    ("oid", IdKind::Object),
    ("object id", IdKind::Object),
    ("object_id", IdKind::Object),
    ("objectid", IdKind::Object),
    ("principal id", IdKind::Object),
    ("principal_id", IdKind::Object),
    ("principalid", IdKind::Object),
    ("appid", IdKind::Client),
    ("app id", IdKind::Client),
    ("client_id", IdKind::Client),
    ("clientid", IdKind::Client),
    ("client id", IdKind::Client),
    ("application id", IdKind::Client),
    ("application with identifier", IdKind::Client),
    ("tid", IdKind::Tenant),
    ("tenant", IdKind::Tenant),
    ("tenantid", IdKind::Tenant),
    ("sts.windows.net/", IdKind::Tenant),
    ("login.microsoftonline.com/", IdKind::Tenant),
    ("trace id", IdKind::Skip),
    ("correlation", IdKind::Skip),
    ("request-id", IdKind::Skip),
    ("request id", IdKind::Skip),
    ("requestid", IdKind::Skip),
    ("subscriptions/", IdKind::Skip),
    ("tokens/", IdKind::Skip),
];

/// How far before a GUID its label may end (quotes, `=`, `: '`, `\":\"`).
const LABEL_GAP: usize = 6;

fn classify(lower: &str, start: usize) -> IdKind {
    let from = start.saturating_sub(48);
    let window = lower.as_bytes().get(from..start).unwrap_or_default();
    let mut best: Option<(usize, IdKind)> = None;
    for (label, kind) in LABELS {
        let l = label.as_bytes();
        // The last occurrence of the label in the window.
        let Some(p) = (0..window.len().saturating_sub(l.len() - 1))
            .rev()
            .find(|&p| window.get(p..p + l.len()) == Some(l))
        else {
            continue;
        };
        let end = p + l.len();
        // A word of its own: "oid" must not be the end of "void".
        let before_ok = p == 0
            || !window
                .get(p - 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        let gap = &window[end..];
        let close = gap.len() <= LABEL_GAP
            && gap
                .iter()
                .all(|c| matches!(c, b' ' | b'=' | b':' | b'\'' | b'"' | b'\\' | b'/' | b'('));
        if before_ok && close && best.is_none_or(|(e, _)| end > e) {
            best = Some((end, *kind));
        }
    }
    best.map_or(IdKind::Skip, |(_, k)| k)
}

fn guids(text: &str, lower: &str, out: &mut Extracted) {
    let b = text.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    let boundary = |c: Option<&u8>| !c.is_some_and(|c| is_hex(*c) || *c == b'-');
    while i + 36 <= b.len() && seen < MAX_GUIDS {
        let starts = is_hex(b[i]) && (i == 0 || boundary(b.get(i - 1)));
        if starts && is_guid(&b[i..i + 36]) && boundary(b.get(i + 36)) {
            seen += 1;
            let v = text.get(i..i + 36).unwrap_or_default();
            match classify(lower, i) {
                IdKind::Object => push(&mut out.object_ids, v),
                IdKind::Client => push(&mut out.client_ids, v),
                IdKind::Tenant => push(&mut out.tenant_ids, v),
                IdKind::Skip => {}
            }
            i += 36;
            continue;
        }
        i += 1;
    }
}

fn arm_ids(text: &str, lower: &str, out: &mut Extracted) {
    let mut from = 0;
    while let Some(p) = find(lower, b"/subscriptions/", from) {
        let b = text.as_bytes();
        let mut e = p + 1;
        while let Some(&c) = b.get(e) {
            if !(c.is_ascii_alphanumeric() || b"-_./()".contains(&c)) || e - p > 2048 {
                break;
            }
            e += 1;
        }
        from = e.max(p + 1);
        let raw = text.get(p..e).unwrap_or_default();
        let id = raw.trim_end_matches(['.', '/', ')']);
        if ArmId::parse(id).is_ok() {
            push(&mut out.resource_ids, id);
        }
        if out.resource_ids.len() >= MAX_ITEMS {
            return;
        }
    }
}

fn resources(text: &str, lower: &str, out: &mut Extracted) {
    let mut add = |v: &str| {
        let v = v.trim().trim_end_matches('.');
        let decoded = crate::percent::decode_bytes(v, false)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_else(|| v.to_string());
        push(&mut out.resources, &decoded);
        out.resources.len() < MAX_ITEMS
    };
    after_marker(text, lower, "resource=", URLISH, |v, _| add(v));
    after_marker(text, lower, "resource principal named ", b" '\"", |v, _| {
        add(v)
    });
    after_marker(
        text,
        lower,
        "wrong audience or resource ",
        QUOTED,
        |v, _| add(v),
    );
    after_marker(text, lower, "\"resource\":", b"\",", |v, _| add(v));
    after_marker(text, lower, "'resource': ", QUOTED, |v, _| add(v));
    // AKV10022: "Invalid audience. Expected <a>, found: <b>." — the presented one.
    after_marker(
        text,
        lower,
        "invalid audience. expected ",
        b"\"'\\",
        |v, _| {
            if let Some((_, found)) = v.split_once("found: ") {
                add(found.split_whitespace().next().unwrap_or_default());
            }
            true
        },
    );
    // Cloud Shell: "Audience <a> is not a supported MSI token audience".
    after_marker(text, lower, "audience ", b" \"'", |v, end| {
        if lower
            .as_bytes()
            .get(end..)
            .is_some_and(|rest| rest.starts_with(b" is not a supported msi token audience"))
        {
            add(v);
        }
        true
    });
}

fn scopes(text: &str, lower: &str, out: &mut Extracted) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(p) = find(lower, b"/.default", from) {
        let end = p + "/.default".len();
        from = end;
        let mut s = p;
        while s > 0 && p - s < 512 {
            let c = b[s - 1];
            if c.is_ascii_whitespace() || b"\"'[(,=<>".contains(&c) {
                break;
            }
            s -= 1;
        }
        if let Some(v) = text.get(s..end) {
            if v.len() > ".default".len() + 1 {
                push(&mut out.scopes, v);
            }
        }
        if out.scopes.len() >= MAX_ITEMS {
            return;
        }
    }
}

/// Built-in role names worth recognising (data-plane roles are the usual missing ones).
const ROLE_NAMES: &[&str] = &[
    "Key Vault Secrets User",
    "Key Vault Secrets Officer",
    "Key Vault Crypto User",
    "Key Vault Certificate User",
    "Key Vault Reader",
    "Key Vault Administrator",
    "Storage Blob Data Reader",
    "Storage Blob Data Contributor",
    "Storage Blob Data Owner",
    "Storage Queue Data Contributor",
];

fn roles(text: &str, lower: &str, out: &mut Extracted) {
    for name in ROLE_NAMES {
        if find(lower, name.to_ascii_lowercase().as_bytes(), 0).is_some() {
            push(&mut out.roles, name);
        }
    }
    let mut add = |v: &str, _: usize| {
        if v.contains('/') {
            push(&mut out.roles, v);
        }
        out.roles.len() < MAX_ITEMS
    };
    after_marker(text, lower, "action: '", QUOTED, &mut add);
    after_marker(text, lower, "perform action '", QUOTED, &mut add);
}

fn assertion(text: &str, lower: &str, out: &mut Extracted) {
    let first = |marker: &str| {
        let mut got = None;
        after_marker(text, lower, marker, QUOTED, |v, _| {
            got = Some(v.to_string());
            false
        });
        got
    };
    let a = &mut out.assertion;
    a.issuer = first("assertion issuer: '").or_else(|| first("presented assertion issuer '"));
    a.subject = first("assertion subject: '").or_else(|| first("presented assertion subject '"));
    a.audience = first("assertion audience: '");
}

fn selectors(text: &str, lower: &str, out: &mut Extracted) {
    for name in [
        "client_id=",
        "object_id=",
        "msi_res_id=",
        "mi_res_id=",
        "principal_id=",
        "clientid=",
    ] {
        let mut from = 0;
        while let Some(p) = find(lower, name.as_bytes(), from) {
            from = p + name.len();
            // A parameter of its own ("azure_client_id=" counts; "x_client_id=" too: rare).
            if let Some((v, _)) = value_at(text, from, URLISH) {
                let label = text.get(p..p + name.len()).unwrap_or(name);
                push(&mut out.selectors, &format!("{label}{v}"));
            }
            if out.selectors.len() >= MAX_ITEMS {
                return;
            }
        }
    }
}

fn is_b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

fn tokens(text: &str, out: &mut Extracted) {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 3 <= b.len() && out.tokens.len() < MAX_ITEMS {
        if &b[i..i + 3] != b"eyJ" || (i > 0 && is_b64url(b[i - 1])) {
            i += 1;
            continue;
        }
        let run = |from: usize| {
            let mut e = from;
            while b.get(e).is_some_and(|c| is_b64url(*c)) {
                e += 1;
            }
            e
        };
        let h_end = run(i);
        let mut end = h_end;
        let mut parts = 1;
        while parts < 3 && b.get(end) == Some(&b'.') {
            let next = run(end + 1);
            if next == end + 1 && parts == 1 {
                break;
            }
            end = next;
            parts += 1;
        }
        let payload_ok = parts >= 2 && h_end - i >= 10 && end - h_end > 10;
        if payload_ok {
            if let Some(t) = text.get(i..end) {
                push(&mut out.tokens, t);
            }
        }
        i = end.max(i + 1);
    }
}

/// Everything [`Extracted`] lists, read from `text`.
pub fn extract(text: &str) -> Extracted {
    let lower = text.to_ascii_lowercase();
    let mut out = Extracted::default();
    guids(text, &lower, &mut out);
    arm_ids(text, &lower, &mut out);
    resources(text, &lower, &mut out);
    scopes(text, &lower, &mut out);
    roles(text, &lower, &mut out);
    assertion(text, &lower, &mut out);
    selectors(text, &lower, &mut out);
    tokens(text, &mut out);
    out
}
