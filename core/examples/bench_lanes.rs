//! Host benchmark of the guided lanes: `flows::play` of each lane's last step (a full replay:
//! every action, every token request with its RSA signatures, every read).
//!
//! Run: `cargo run --release -p mi-core --example bench_lanes`
//! Prints the median and the slowest of 20 runs per lane.

use std::hint::black_box;
use std::time::{Duration, Instant};

use mi_core::flows::{play, Lane};

fn main() {
    let mut t: Vec<Duration> = (0..20)
        .map(|i: u32| {
            let s = Instant::now();
            black_box(mi_core::endpoint::rsa::sign(&i.to_le_bytes()));
            s.elapsed()
        })
        .collect();
    t.sort();
    println!("one RS256 signature: median {:?}, max {:?}", t[10], t[19]);
    let start = 1_764_547_200;
    for lane in Lane::ALL {
        let last = lane.step_count() - 1;
        let mut t: Vec<Duration> = (0..20)
            .map(|_| {
                let s = Instant::now();
                black_box(play(black_box(lane), last, start));
                s.elapsed()
            })
            .collect();
        t.sort();
        println!(
            "{:<15} {} steps: median {:?}, max {:?}",
            lane.label(),
            lane.step_count(),
            t[t.len() / 2],
            t[t.len() - 1]
        );
    }
}
