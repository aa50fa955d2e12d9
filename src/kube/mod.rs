//! Kubernetes value formats shared by validation, rules and simulation.

pub mod cron;
pub mod duration;
pub mod quantity;
