//! `std::sync::atomic`, recorded: loom's atomics, each operation one step
//! with its ordering and the value it read or wrote.

use std::fmt::Display;
use std::panic::Location;

pub use loom::sync::atomic::{Ordering, fence};

use super::super::{Op, new_object, record};

/// Records one atomic operation on `object`.
struct At<'a> {
    object: usize,
    at: &'a Location<'a>,
}

impl At<'_> {
    fn load(&self, ordering: Ordering, value: impl Display) {
        let value = value.to_string();
        self.step("load", Some(ordering), value.clone(), Some(&value), None);
    }

    fn store(&self, ordering: Ordering, value: impl Display) {
        let value = value.to_string();
        self.step("store", Some(ordering), value.clone(), None, Some(value));
    }

    /// A read-modify-write: it always reads the latest value.
    fn rmw(
        &self,
        op: &'static str,
        ordering: Ordering,
        old: impl Display,
        new: impl Display,
    ) {
        let new = new.to_string();
        self.step(
            op,
            Some(ordering),
            format!("{old} -> {new}"),
            None,
            Some(new),
        );
    }

    /// A compare-exchange that failed, or a `fetch_update` whose closure
    /// said no: a load of `found`.
    fn no_write(
        &self,
        op: &'static str,
        ordering: Ordering,
        found: impl Display,
        note: &str,
    ) {
        let found = found.to_string();
        let value = format!("found {found}{note}: no write");
        self.step(op, Some(ordering), value, Some(&found), None);
    }

    fn step(
        &self,
        op: &'static str,
        ordering: Option<Ordering>,
        value: String,
        read: Option<&str>,
        stored: Option<String>,
    ) {
        let op = Op {
            object: self.object,
            op,
            ordering,
            at: self.at,
            value: Some(value),
            lock: None,
        };
        record(op, read, stored);
    }
}

macro_rules! recorded_atomic {
    ($name:ident, $t:ty, { $($rmw:ident: $f:expr),* $(,)? }) => {
        /// The std atomic of the same name, recorded.
        #[derive(Debug)]
        pub struct $name {
            id: usize,
            inner: loom::sync::atomic::$name,
        }

        impl $name {
            #[track_caller]
            pub fn new(value: $t) -> $name {
                let id = new_object("atomic", Location::caller(), Some(value.to_string()));
                $name { id, inner: loom::sync::atomic::$name::new(value) }
            }

            #[track_caller]
            fn at(&self) -> At<'static> {
                At { object: self.id, at: Location::caller() }
            }

            pub fn into_inner(self) -> $t {
                self.inner.into_inner()
            }

            #[track_caller]
            pub fn load(&self, order: Ordering) -> $t {
                let value = self.inner.load(order);
                self.at().load(order, value);
                value
            }

            #[track_caller]
            pub fn store(&self, value: $t, order: Ordering) {
                self.inner.store(value, order);
                self.at().store(order, value);
            }

            #[track_caller]
            pub fn swap(&self, value: $t, order: Ordering) -> $t {
                let old = self.inner.swap(value, order);
                self.at().rmw("swap", order, old, value);
                old
            }

            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                let result = self.inner.compare_exchange(current, new, success, failure);
                self.cas("compare_exchange", result, current, new, success, failure)
            }

            #[track_caller]
            pub fn compare_exchange_weak(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                let result = self.inner.compare_exchange_weak(current, new, success, failure);
                self.cas("compare_exchange_weak", result, current, new, success, failure)
            }

            #[track_caller]
            fn cas(
                &self,
                op: &'static str,
                result: Result<$t, $t>,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                match result {
                    Ok(old) => self.at().rmw(op, success, old, new),
                    Err(found) => {
                        self.at().no_write(op, failure, found, &format!(", not {current}"))
                    }
                }
                result
            }

            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: F,
            ) -> Result<$t, $t>
            where
                F: FnMut($t) -> Option<$t>,
            {
                let mut written = None;
                let result = self.inner.fetch_update(set_order, fetch_order, |v| {
                    written = f(v);
                    written
                });
                match (result, written) {
                    (Ok(old), Some(new)) => self.at().rmw("fetch_update", set_order, old, new),
                    (Ok(old) | Err(old), _) => {
                        self.at().no_write("fetch_update", fetch_order, old, "")
                    }
                }
                result
            }

            $(
                #[track_caller]
                pub fn $rmw(&self, value: $t, order: Ordering) -> $t {
                    let old = self.inner.$rmw(value, order);
                    let new: fn($t, $t) -> $t = $f;
                    self.at().rmw(stringify!($rmw), order, old, new(old, value));
                    old
                }
            )*
        }

        impl Default for $name {
            #[track_caller]
            fn default() -> $name {
                $name::new(Default::default())
            }
        }

        impl From<$t> for $name {
            #[track_caller]
            fn from(value: $t) -> $name {
                $name::new(value)
            }
        }
    };
}

recorded_atomic!(AtomicBool, bool, {
    fetch_and: |a, b| a & b,
    fetch_nand: |a, b| !(a & b),
    fetch_or: |a, b| a | b,
    fetch_xor: |a, b| a ^ b,
});

macro_rules! recorded_int {
    ($($name:ident: $t:ty),*) => {$(
        recorded_atomic!($name, $t, {
            fetch_add: |a, b| a.wrapping_add(b),
            fetch_sub: |a, b| a.wrapping_sub(b),
            fetch_and: |a, b| a & b,
            fetch_nand: |a, b| !(a & b),
            fetch_or: |a, b| a | b,
            fetch_xor: |a, b| a ^ b,
            fetch_max: |a, b| a.max(b),
            fetch_min: |a, b| a.min(b),
        });
    )*};
}

recorded_int!(
    AtomicU8: u8, AtomicU16: u16, AtomicU32: u32, AtomicU64: u64, AtomicUsize: usize,
    AtomicI8: i8, AtomicI16: i16, AtomicI32: i32, AtomicI64: i64, AtomicIsize: isize
);
