//! What can go wrong between a client and a chain.

use jsonrpsee::{core::ClientError, types::ErrorObjectOwned};

/// An error of a [`crate::Client`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The node could not be reached at `url`.
	#[error("cannot reach {url}: {source}")]
	Connect {
		/// Where the node was looked for.
		url: String,
		/// Why the connection failed.
		#[source]
		source: ClientError,
	},
	/// A JSON-RPC call failed: the node refused it, or the connection broke.
	#[error("{method}: {source}")]
	Rpc {
		/// The method called.
		method: String,
		/// The node's error, or the transport's.
		#[source]
		source: ClientError,
	},
	/// A subscription was asked of a connection that cannot carry one (plain HTTP).
	#[error("{method}: subscriptions need a WebSocket connection")]
	NoSubscriptions {
		/// The method called.
		method: String,
	},
	/// The parameters of a call could not be written as JSON.
	#[error("cannot encode the parameters: {0}")]
	Params(#[from] serde_json::Error),
	/// An answer held bad hex.
	#[error("bad hex in a JSON-RPC answer: {0}")]
	Hex(#[from] hex::FromHexError),
	/// An answer's SCALE bytes did not decode as what was asked for.
	#[error("{what}: cannot decode: {source}")]
	Decode {
		/// What was decoded.
		what: String,
		/// The decoder's complaint.
		#[source]
		source: codec::Error,
	},
	/// An answer lacked what it should have held.
	#[error("{0}")]
	Answer(String),
}

/// The result of a client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
	/// The node's own error object, if the node answered the call with an error (e.g. the pool
	/// refused a transaction).
	pub fn call_error(&self) -> Option<&ErrorObjectOwned> {
		match self {
			Error::Rpc { source: ClientError::Call(call), .. } => Some(call),
			_ => None,
		}
	}

	/// A decoding error of `what`.
	pub(crate) fn decode(what: impl Into<String>) -> impl FnOnce(codec::Error) -> Error {
		let what = what.into();
		move |source| Error::Decode { what, source }
	}
}

/// Tools and tests that report errors as text can use `?` on client calls.
impl From<Error> for String {
	fn from(error: Error) -> String {
		error.to_string()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_refusal_by_the_node_is_told_apart_from_a_broken_connection() {
		let refused = Error::Rpc {
			method: "author_submitExtrinsic".into(),
			source: ClientError::Call(ErrorObjectOwned::owned(1010, "Invalid", None::<()>)),
		};
		assert_eq!(refused.call_error().map(|call| call.code()), Some(1010));
		let broken = Error::Rpc {
			method: "author_submitExtrinsic".into(),
			source: ClientError::RequestTimeout,
		};
		assert!(broken.call_error().is_none());
		assert!(broken.to_string().starts_with("author_submitExtrinsic: "));
	}
}
