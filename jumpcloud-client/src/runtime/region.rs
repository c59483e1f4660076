//! JumpCloud data regions: generated from the document's `servers` and
//! their `x-jc-region` codes, into `apis`, and re-exported here.

pub use crate::apis::Region;
