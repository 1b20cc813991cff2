//! One module per page of the playground.

pub mod decoder;
pub mod flows;
pub mod imds;
pub mod tour;
pub mod troubleshoot;
