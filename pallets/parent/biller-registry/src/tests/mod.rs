//! Unit tests, by topic. Every test runs through `build_and_execute`, which checks the
//! registry's invariants (`do_try_state`) after it.

mod anchors;
mod authorities;
mod decisions;
mod disputes;
mod elections;
mod equivocations;
mod forks;
mod genesis;
mod members;
mod seals;
mod subchains;
