//! Saving a file the page made, without any network: a Blob behind an object URL, clicked
//! through a temporary `<a download>`; a PNG is an SVG drawn on a canvas (the SVG loaded as a
//! `data:` image, which the page's `img-src 'self' data:` allows).

use base64::Engine;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, CssStyleSheet, HtmlAnchorElement,
    HtmlCanvasElement, HtmlImageElement, Url,
};

/// Offers `blob` as a download named `name`. Returns its size in bytes.
fn save_blob(name: &str, blob: &Blob) -> Option<f64> {
    let url = Url::create_object_url_with_blob(blob).ok()?;
    let doc = super::document()?;
    let a: HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    let body = doc.body()?;
    body.append_child(&a).ok()?;
    a.click();
    a.remove();
    // The download reads the URL after the click returns; let it go a minute later.
    gloo::timers::callback::Timeout::new(60_000, move || {
        Url::revoke_object_url(&url).ok();
    })
    .forget();
    Some(blob.size())
}

/// Offers `text` as a download of type `mime`. Returns its size in bytes.
pub fn save_text(name: &str, mime: &str, text: &str) -> Option<f64> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    save_blob(name, &blob)
}

/// Draws `svg` (natural size `width` × `height`) at `scale` on a canvas and offers it as a PNG.
/// Returns its size in bytes.
pub async fn save_png(name: &str, svg: &str, width: i32, height: i32, scale: f64) -> Option<f64> {
    let img = HtmlImageElement::new().ok()?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(svg);
    img.set_src(&format!("data:image/svg+xml;base64,{b64}"));
    JsFuture::from(img.decode()).await.ok()?;
    let (w, h) = (f64::from(width) * scale, f64::from(height) * scale);
    let canvas: HtmlCanvasElement = super::document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(w.round() as u32);
    canvas.set_height(h.round() as u32);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, w, h)
        .ok()?;
    let blob = js_sys::Promise::new(&mut |resolve, _| {
        canvas.to_blob_with_type(&resolve, "image/png").ok();
    });
    let blob: Blob = JsFuture::from(blob).await.ok()?.dyn_into().ok()?;
    save_blob(name, &blob)
}

/// The page's style rules (as text) a saved drawing needs to look the same outside the page:
/// the custom properties on `:root` and the rules of the drawing (`.dg-…`).
pub fn page_rules() -> String {
    let mut out = String::new();
    let Some(sheets) = super::document().map(|d| d.style_sheets()) else {
        return out;
    };
    for i in 0..sheets.length() {
        let rules = sheets
            .item(i)
            .and_then(|s| s.dyn_into::<CssStyleSheet>().ok())
            .and_then(|s| s.css_rules().ok());
        let Some(rules) = rules else {
            continue;
        };
        for j in 0..rules.length() {
            if let Some(text) = rules.item(j).map(|r| r.css_text()) {
                if text.starts_with(":root {") || text.contains(".dg-") {
                    out.push_str(&text);
                }
            }
        }
    }
    out
}

/// Whether the page is dark now: `data-theme`, or the system's choice under `auto`.
pub fn is_dark() -> bool {
    let theme = super::document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"));
    match theme.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => super::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok()?)
            .is_some_and(|m| m.matches()),
    }
}
