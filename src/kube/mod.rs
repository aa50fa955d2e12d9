//! Kubernetes value formats shared by validation, rules and simulation.

pub mod quantity;
