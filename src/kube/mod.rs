//! Kubernetes value formats shared by validation, rules and simulation.

pub mod base64;
pub mod cron;
pub mod downward;
pub mod duration;
pub mod field;
pub mod int_or_percent;
pub mod names;
pub mod net;
pub mod paths;
pub mod quantity;
pub mod selector;
pub mod words;
