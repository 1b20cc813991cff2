//! Handing a pasted text from one page to another in memory, never through the address bar:
//! "explain it" takes the decoder's input to the troubleshooter, "Open in the decoder" takes a
//! token the other way. The receiving page takes the value once, when it mounts.

use std::cell::RefCell;

thread_local! {
    static SLOTS: RefCell<Vec<(&'static str, String)>> = const { RefCell::new(Vec::new()) };
}

/// The decoder's input.
pub const TOKEN: &str = "token";
/// The troubleshooter's input.
pub const TEXT: &str = "text";

/// Leaves `value` for the page that reads `slot` next.
pub fn put(slot: &'static str, value: String) {
    SLOTS.with(|s| {
        let mut s = s.borrow_mut();
        s.retain(|(k, _)| *k != slot);
        s.push((slot, value));
    });
}

/// Takes what was left in `slot`, if anything.
pub fn take(slot: &str) -> Option<String> {
    SLOTS.with(|s| {
        let mut s = s.borrow_mut();
        let i = s.iter().position(|(k, _)| *k == slot)?;
        Some(s.swap_remove(i).1)
    })
}

/// Leaves `value` in `slot` and opens `hash` (a history entry, like following a link).
pub fn open(slot: &'static str, value: String, hash: &str) {
    put(slot, value);
    if let Some(w) = super::window() {
        w.location().set_hash(hash).ok();
    }
}
