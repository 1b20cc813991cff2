//! Widgets shared by the pages.

mod certainty;
mod code_block;
mod embed_action;
mod share;
mod token_summary;

pub use certainty::{certainty_badge, certainty_legend, fact_text, rich_text};
pub use code_block::{CodeBlock, CopyButton};
pub use embed_action::EmbedAction;
pub use share::ShareButton;
pub use token_summary::TokenSummary;
