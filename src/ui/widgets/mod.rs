//! Widgets shared by the pages.

mod code_block;
mod embed_action;

pub use code_block::{CodeBlock, CopyButton};
pub use embed_action::EmbedAction;
