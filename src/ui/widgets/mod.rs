//! Widgets shared by the pages.

mod code_block;
mod embed_action;
mod token_summary;

pub use code_block::{CodeBlock, CopyButton};
pub use embed_action::EmbedAction;
pub use token_summary::TokenSummary;
