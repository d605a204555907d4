#!/usr/bin/env bash
# Idempotent set-up of everything DB-Microgrid needs to build, test and run:
#   * native build needs: protoc (litep2p), clang/libclang (bindgen), lld (fast linking);
#   * a Rust toolchain that can build the runtimes for `wasm32v1-none`;
#   * Node.js dependencies of the polkadot.js end-to-end suite (when `e2e/` exists).
#
# The wasm toolchain: if rustup can add `wasm32v1-none` to the pinned toolchain, that is used.
# Otherwise Debian's Rust (`rustc-web`, with its standard-library sources) is linked into
# rustup as the toolchain `dbm-wasm`, and `core`/`alloc`/`compiler_builtins` are built once
# for `wasm32v1-none` into its sysroot. Builds then run with `WASM_BUILD_TOOLCHAIN=dbm-wasm`.
#
# Prints `export ...` lines for the environment on stdout (`eval "$(scripts/setup.sh)"`): only
# on the fallback path, so that with rustup's target `make run` and a plain `cargo run` give
# the runtimes' build scripts the same environment (a changed WASM_BUILD_TOOLCHAIN rebuilds
# every runtime's wasm);
# progress goes to stderr. Safe to run any number of times. `DBM_WASM_FROM_DEBIAN=1` forces the Debian path.
set -euo pipefail

say() { echo "setup: $*" >&2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
toolchain_file="$root/rust-toolchain.toml"
pinned=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$toolchain_file")

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
apt_updated=0
apt_install() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if ! command -v apt-get >/dev/null 2>&1; then
		say "missing packages ${missing[*]} and no apt-get: install them by hand"
		return 1
	fi
	if [ $apt_updated -eq 0 ]; then
		say "apt-get update"
		$SUDO apt-get update -qq >&2
		apt_updated=1
	fi
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
}

# --- native build needs -------------------------------------------------------------
if ! command -v protoc >/dev/null 2>&1 || ! command -v clang >/dev/null 2>&1 \
	|| ! command -v ld.lld >/dev/null 2>&1; then
	apt_install protobuf-compiler clang libclang-dev lld
fi

# --- wasm toolchain ---------------------------------------------------------------
wasm_toolchain=""
if [ "${DBM_WASM_FROM_DEBIAN:-0}" = 1 ]; then
	: # forced: use Debian's Rust below (also how the fallback path is exercised)
elif rustup target list --installed --toolchain "$pinned" 2>/dev/null | grep -qx wasm32v1-none; then
	wasm_toolchain="$pinned"
elif rustup target add --toolchain "$pinned" wasm32v1-none >/dev/null 2>&1; then
	wasm_toolchain="$pinned"
fi
if [ -z "$wasm_toolchain" ]; then
	wasm_toolchain="dbm-wasm"
	sysroot_lib=/usr/lib/rustlib/wasm32v1-none/lib
	if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ] \
		|| ! ls /usr/lib/llvm-22/bin/wasm-ld >/dev/null 2>&1; then
		apt_install rustc-web cargo-web rust-web-src lld-22
	fi
	if ! rustup toolchain list | grep -q "^$wasm_toolchain"; then
		say "linking /usr as rustup toolchain $wasm_toolchain"
		rustup toolchain link "$wasm_toolchain" /usr
	fi
	if ! ls "$sysroot_lib"/libcore-*.rlib >/dev/null 2>&1; then
		say "building core/alloc for wasm32v1-none into $sysroot_lib (about 20 s)"
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		mkdir -p "$tmp/src"
		cat >"$tmp/Cargo.toml" <<'TOML'
[package]
name = "dbm-wasm-sysroot"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
[profile.release]
panic = "abort"
TOML
		printf '#![no_std]\nextern crate alloc;\n' >"$tmp/src/lib.rs"
		(cd "$tmp" && RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C embed-bitcode=yes" CARGO_TARGET_DIR="$tmp/target" \
			rustup run "$wasm_toolchain" cargo build -q --release --target wasm32v1-none \
			-Zbuild-std=core,alloc >&2)
		$SUDO mkdir -p "$sysroot_lib"
		for c in core alloc compiler_builtins; do
			$SUDO cp "$tmp"/target/wasm32v1-none/release/deps/lib"$c"-*.rlib \
				"$tmp"/target/wasm32v1-none/release/deps/lib"$c"-*.rmeta "$sysroot_lib"/
		done
		# Runtimes built against an older sysroot must be rebuilt.
		for t in "${CARGO_TARGET_DIR:-$root/target}"/*/wbuild; do
			[ -d "$t" ] && rm -rf "$t"
		done
	fi
fi
say "wasm toolchain: $wasm_toolchain"

# --- polkadot.js suite --------------------------------------------------------------
if [ -f "$root/e2e/package.json" ]; then
	if [ ! -d "$root/e2e/node_modules" ] || [ "$root/e2e/package-lock.json" -nt "$root/e2e/node_modules" ]; then
		say "npm ci in e2e/"
		(cd "$root/e2e" && npm ci --no-audit --no-fund --loglevel=error >&2 && touch node_modules)
	fi
fi

if [ "$wasm_toolchain" != "$pinned" ]; then
	echo "export WASM_BUILD_TOOLCHAIN=$wasm_toolchain"
fi
