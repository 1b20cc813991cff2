//! What the pages teach, as data: every statement of fact carries how sure we are and where it
//! comes from, so a page can show its certainty and a reviewer can check its source. Pages
//! render these; they hold no Azure fact of their own.
//!
//! Text may set identifiers as code between backticks (`` `oid` ``): [`spans`] splits it.

pub mod snippets;
pub mod tour;

pub use crate::endpoint::state::Certainty;

/// One statement a page teaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    /// The statement; identifiers between backticks.
    pub text: &'static str,
    pub certainty: Certainty,
    /// Where it comes from: a Microsoft doc, an SDK file at a version, an issue with a capture.
    pub source: &'static str,
}

/// A [`Fact`] in a `const` table.
pub const fn fact(text: &'static str, certainty: Certainty, source: &'static str) -> Fact {
    Fact {
        text,
        certainty,
        source,
    }
}

/// A piece of text: plain, or code (an identifier, a value, a command).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span<'a> {
    Text(&'a str),
    Code(&'a str),
}

/// Splits text at backticks: odd pieces are code. An unpaired backtick stays literal.
pub fn spans(text: &str) -> Vec<Span<'_>> {
    let pieces: Vec<&str> = text.split('`').collect();
    if pieces.len() % 2 == 0 {
        // Unbalanced: show the text as written rather than guess.
        return vec![Span::Text(text)];
    }
    pieces
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, p)| {
            if i % 2 == 1 {
                Span::Code(p)
            } else {
                Span::Text(p)
            }
        })
        .collect()
}

/// "1 note", "2 notes", "0 notes".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The certainty legend, one line for the pages that show badges.
pub fn certainty_legend() -> Vec<(Certainty, &'static str)> {
    [
        Certainty::Documented,
        Certainty::Seen,
        Certainty::Sdk,
        Certainty::Tested,
        Certainty::Guess,
    ]
    .into_iter()
    .map(|c| (c, c.meaning()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "note", "notes"), "1 note");
        assert_eq!(count(0, "note", "notes"), "0 notes");
        assert_eq!(
            count(2, "claim differs", "claims differ"),
            "2 claims differ"
        );
    }

    #[test]
    fn backticks_mark_code() {
        assert_eq!(
            spans("the `oid` claim"),
            [Span::Text("the "), Span::Code("oid"), Span::Text(" claim")]
        );
        assert_eq!(spans("`a`"), [Span::Code("a")]);
        assert_eq!(spans("odd ` tick"), [Span::Text("odd ` tick")]);
        assert_eq!(spans(""), Vec::<Span>::new());
    }

    #[test]
    fn every_fact_has_a_source_and_balanced_code() {
        for step in tour::STEPS {
            for f in step.facts() {
                assert!(!f.source.trim().is_empty(), "{}", f.text);
                assert_eq!(f.text.matches('`').count() % 2, 0, "{}", f.text);
                assert!(!f.text.contains("  "), "double space: {}", f.text);
            }
        }
        for row in crate::flows::COMPARISON {
            assert!(!row.source.is_empty(), "{}", row.aspect);
        }
        for lane in crate::flows::Lane::ALL {
            for step in crate::flows::lane(lane) {
                assert!(!step.source.is_empty(), "{}", step.title);
            }
        }
    }
}
