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
    let summary = Rc::new(props.decoded.reading.summary.clone());
    html! { <TokenSummary {summary} /> }
}
