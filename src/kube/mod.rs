//! Kubernetes value formats shared by validation, rules and simulation.

// Input-derived data must never make kval panic (see README, "Hostile and broken input").
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

pub mod cron;
pub mod duration;
pub mod int_or_percent;
pub mod names;
pub mod quantity;
pub mod selector;
