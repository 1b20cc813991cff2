//! Entry point: kept thin on purpose (design.md). Everything lives in the library crate.

fn main() {
    mi_playground::start();
}
