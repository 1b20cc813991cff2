//! Widgets shared by the pages.

#[cfg(feature = "simulator")]
mod certainty;
mod code_block;
mod embed_action;
mod token_summary;

#[cfg(feature = "simulator")]
pub use certainty::certainty_badge;
pub use code_block::{CodeBlock, CopyButton};
pub use embed_action::EmbedAction;
pub use token_summary::TokenSummary;
