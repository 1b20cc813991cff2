//! Element trees that cross from the on-demand engine to the page as JSON (JsonML:
//! `["tag", {"attr": "value"}, child…]`, a string is a text node). The engine builds what the
//! troubleshooter and the source panel show; the page renders the tree as elements, so it needs
//! neither those reports' types nor their views in its first download.
//!
//! Two pseudo-elements stand for the page's own widgets: `x-code` (a code block with a Copy
//! button: attributes `title`, `code`, `data-testid`) and `x-legend` (the certainty legend).
//! The page renders only tags and attributes it allows (see `ui::widgets::engine_view`).

use serde_json::{Map, Value};

use crate::endpoint::Certainty;

/// A node: an element or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    El(El),
    Text(String),
}

/// An element with its attributes (in order) and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct El {
    pub tag: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Node>,
}

/// `<tag>`.
pub fn el(tag: &'static str) -> El {
    El {
        tag,
        attrs: Vec::new(),
        children: Vec::new(),
    }
}

/// A text node.
pub fn text(t: impl Into<String>) -> Node {
    Node::Text(t.into())
}

impl El {
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> El {
        self.attrs.push((name, value.into()));
        self
    }

    /// `data-testid`.
    pub fn id(self, testid: impl Into<String>) -> El {
        self.attr("data-testid", testid)
    }

    pub fn class(self, class: impl Into<String>) -> El {
        self.attr("class", class)
    }

    pub fn text(mut self, t: impl Into<String>) -> El {
        self.children.push(Node::Text(t.into()));
        self
    }

    pub fn child(mut self, n: impl Into<Node>) -> El {
        self.children.push(n.into());
        self
    }

    pub fn children<N: Into<Node>>(mut self, nodes: impl IntoIterator<Item = N>) -> El {
        self.children.extend(nodes.into_iter().map(Into::into));
        self
    }

    /// Adds `n` when there is one.
    pub fn maybe(self, n: Option<impl Into<Node>>) -> El {
        match n {
            Some(n) => self.child(n),
            None => self,
        }
    }

    /// The value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl From<El> for Node {
    fn from(e: El) -> Node {
        Node::El(e)
    }
}

impl From<&str> for Node {
    fn from(t: &str) -> Node {
        Node::Text(t.to_string())
    }
}

impl From<String> for Node {
    fn from(t: String) -> Node {
        Node::Text(t)
    }
}

impl Node {
    /// JsonML.
    pub fn to_json(&self) -> Value {
        match self {
            Node::Text(t) => Value::String(t.clone()),
            Node::El(e) => {
                let mut attrs = Map::new();
                for (k, v) in &e.attrs {
                    attrs.insert((*k).to_string(), Value::String(v.clone()));
                }
                let mut out = vec![Value::String(e.tag.to_string()), Value::Object(attrs)];
                out.extend(e.children.iter().map(Node::to_json));
                Value::Array(out)
            }
        }
    }

    /// Every element in the tree (depth first), for tests and lookups.
    pub fn elements(&self) -> Vec<&El> {
        let mut out = Vec::new();
        fn walk<'a>(n: &'a Node, out: &mut Vec<&'a El>) {
            if let Node::El(e) = n {
                out.push(e);
                for c in &e.children {
                    walk(c, out);
                }
            }
        }
        walk(self, &mut out);
        out
    }

    /// The element with this `data-testid`, if any.
    pub fn by_testid(&self, testid: &str) -> Option<&El> {
        self.elements()
            .into_iter()
            .find(|e| e.get("data-testid") == Some(testid))
    }

    /// All the text in the tree, concatenated (code blocks' code included).
    pub fn text_content(&self) -> String {
        match self {
            Node::Text(t) => t.clone(),
            Node::El(e) => {
                let mut s = e.get("code").unwrap_or_default().to_string();
                for c in &e.children {
                    s.push_str(&c.text_content());
                }
                s
            }
        }
    }
}

/// A list of nodes as JsonML (a fragment).
pub fn to_json(nodes: &[Node]) -> Value {
    Value::Array(nodes.iter().map(Node::to_json).collect())
}

/// A code block with a Copy button (the page's widget).
pub fn code_block(title: &str, code: &str, testid: &str) -> El {
    el("x-code")
        .attr("title", title)
        .attr("code", code)
        .id(testid)
}

/// The certainty legend (the page's widget).
pub fn legend() -> El {
    el("x-legend")
}

/// A certainty badge; its tooltip says what the tag means and, when given, the source.
pub fn badge(c: Certainty, source: Option<&str>) -> El {
    let (title, hidden) = match source {
        Some(s) => (
            format!("{} — {}", c.meaning(), s),
            format!(" ({}; source: {})", c.meaning(), s),
        ),
        None => (c.meaning().to_string(), format!(" ({})", c.meaning())),
    };
    el("span")
        .class(format!("badge cert cert-{}", c.tag()))
        .attr("title", title)
        .id("certainty")
        .text(c.tag())
        .child(el("span").class("visually-hidden").text(hidden))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_become_jsonml() {
        let n: Node = el("p")
            .id("x")
            .text("a ")
            .child(el("code").text("b"))
            .into();
        assert_eq!(
            n.to_json().to_string(),
            r#"["p",{"data-testid":"x"},"a ",["code",{},"b"]]"#
        );
        assert_eq!(n.text_content(), "a b");
        assert_eq!(n.by_testid("x").map(|e| e.tag), Some("p"));
    }

    #[test]
    fn a_badge_names_its_source() {
        let b: Node = badge(Certainty::Sdk, Some("msal 1.39.0")).into();
        let e = b.by_testid("certainty").expect("badge");
        assert_eq!(e.get("class"), Some("badge cert cert-sdk"));
        assert!(e
            .get("title")
            .unwrap_or_default()
            .ends_with("— msal 1.39.0"));
    }
}
