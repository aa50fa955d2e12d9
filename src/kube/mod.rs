//! Kubernetes value formats shared by validation, rules and simulation.

pub mod cron;
pub mod duration;
pub mod int_or_percent;
pub mod names;
pub mod quantity;
pub mod selector;
