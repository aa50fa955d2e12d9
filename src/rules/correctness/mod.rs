//! Rules for what is valid but does not do what was meant, within one document or
//! across the documents of a run.

mod dangling_hpa;
mod dangling_ingress;
mod dangling_selector;
mod dangling_service;
mod duplicate_env_var;
mod duplicate_object;
mod governing_service;
mod long_statefulset_name;
mod missing_service_account;
mod pdb_blocks_eviction;
mod pdb_without_budget;
mod quoted_shell_script;

pub use dangling_hpa::DANGLING_HPA;
pub use dangling_ingress::DANGLING_INGRESS;
pub use dangling_selector::{DANGLING_NETWORK_POLICY, DANGLING_PDB};
pub use dangling_service::DANGLING_SERVICE;
pub use duplicate_env_var::DUPLICATE_ENV_VAR;
pub use duplicate_object::DUPLICATE_OBJECT;
pub use governing_service::{GOVERNING_SERVICE_NOT_HEADLESS, MISSING_GOVERNING_SERVICE};
pub use long_statefulset_name::LONG_STATEFULSET_NAME;
pub use missing_service_account::MISSING_SERVICE_ACCOUNT;
pub use pdb_blocks_eviction::PDB_BLOCKS_EVICTION;
pub use pdb_without_budget::PDB_WITHOUT_BUDGET;
pub use quoted_shell_script::QUOTED_SHELL_SCRIPT;
