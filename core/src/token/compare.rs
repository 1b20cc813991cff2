//! Comparing the claims of two tokens (e.g. system- vs user-assigned, or before/after a change).

use serde_json::{Map, Value};

/// How one claim differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiffKind {
    Same,
    Changed,
    OnlyLeft,
    OnlyRight,
}

/// One row of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimDiff {
    pub name: String,
    pub kind: DiffKind,
    pub left: Option<Value>,
    pub right: Option<Value>,
}

/// Compares two claim sets: every key of `a` in its order, then the keys only in `b` in theirs.
pub fn compare(a: &Map<String, Value>, b: &Map<String, Value>) -> Vec<ClaimDiff> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    for (k, va) in a {
        let (kind, right) = match b.get(k) {
            Some(vb) if vb == va => (DiffKind::Same, Some(vb.clone())),
            Some(vb) => (DiffKind::Changed, Some(vb.clone())),
            None => (DiffKind::OnlyLeft, None),
        };
        out.push(ClaimDiff {
            name: k.clone(),
            kind,
            left: Some(va.clone()),
            right,
        });
    }
    for (k, vb) in b {
        if !a.contains_key(k) {
            out.push(ClaimDiff {
                name: k.clone(),
                kind: DiffKind::OnlyRight,
                left: None,
                right: Some(vb.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stable_order_and_kinds() {
        let a = json!({"aud":"x","oid":"1","xms_mirid":"/a","exp":1});
        let b = json!({"exp":1,"oid":"2","xms_az_rid":"/h","aud":"x"});
        let d = compare(a.as_object().unwrap(), b.as_object().unwrap());
        let rows: Vec<_> = d.iter().map(|r| (r.name.as_str(), r.kind)).collect();
        assert_eq!(
            rows,
            [
                ("aud", DiffKind::Same),
                ("oid", DiffKind::Changed),
                ("xms_mirid", DiffKind::OnlyLeft),
                ("exp", DiffKind::Same),
                ("xms_az_rid", DiffKind::OnlyRight),
            ]
        );
        assert_eq!(d[1].left, Some(json!("1")));
        assert_eq!(d[1].right, Some(json!("2")));
        assert_eq!(d[4].left, None);
    }
}
