//! Widgets shared by the pages.

mod certainty;
mod code_block;
mod embed_builder;
mod engine_view;
mod share;
mod token_summary;

pub use certainty::{certainty_badge, certainty_legend, fact_text, rich_text};
pub use code_block::{CodeBlock, CopyButton};
pub use embed_builder::EmbedBuilder;
pub use engine_view::EngineView;
pub use share::ShareButton;
pub use token_summary::TokenSummary;
