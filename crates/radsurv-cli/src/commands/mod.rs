//! One module per subcommand: its clap `Args` and a `run` returning the exit code.

pub mod demo;
pub mod extract;
pub mod info;
pub mod mask;
pub mod predict;
pub mod stats;
pub mod study;
pub mod synth;
