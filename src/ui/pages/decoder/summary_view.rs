//! The summary card: what the token says about the identity, at a glance (the shared
//! [`TokenSummary`] widget, fed from the decoded input).

use std::rc::Rc;

use yew::prelude::*;

use super::Decoded;
use crate::ui::widgets::TokenSummary;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub decoded: Rc<Decoded>,
}

#[function_component(SummaryView)]
pub fn summary_view(props: &Props) -> Html {
    let reading = &props.decoded.reading;
    let summary = Rc::new(reading.summary.clone());
    let sample = matches!(
        mi_core::token::samples::link_policy(reading),
        mi_core::token::samples::LinkPolicy::Sample(_)
    );
    let minted = reading
        .summary
        .validity
        .issued_at
        .as_ref()
        .map(|t| t.utc.clone())
        .unwrap_or_default();
    html! {
        <>
            if sample {
                <p class="notice small" data-testid="sample-note">
                    { format!("A built-in sample, issued {minted} by the simulator and stored in this page, \
                               so it has expired since (real managed-identity tokens live about 24 hours). \
                               For a token minted now, open one from the IMDS simulator.") }
                </p>
            }
            <TokenSummary {summary} {sample} compact={crate::browser::fragment::is_embed()} />
        </>
    }
}
