//! Explicit shared memory between processes: a file that both map.
//!
//! This part is already written; the chapter reads it with you. Two
//! processes that map the same file with `MAP_SHARED` see the same physical
//! pages: what one stores, the other can load, with no pipe, no copy and no
//! serialization. It is the Rust counterpart of Python's
//! `multiprocessing.shared_memory`. The price: the processes are back to
//! shared state, so every access must be synchronised (here with atomics),
//! and the mapping itself is `unsafe` to create (see [`SharedSlots::open`]).

use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use memmap2::MmapMut;

// ANCHOR: shared_slots
/// A row of `u64` slots in a memory-mapped file, seen as atomics.
pub struct SharedSlots {
    map: MmapMut,
}

impl SharedSlots {
    /// Creates (or empties) the file at `path` with room for `slots`
    /// zeroed slots, and maps it.
    pub fn create(path: &Path, slots: usize) -> io::Result<SharedSlots> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        file.set_len((slots * size_of::<u64>()) as u64)?;
        SharedSlots::open(path)
    }

    /// Maps the existing file at `path`, shared with every other process
    /// that maps it.
    pub fn open(path: &Path) -> io::Result<SharedSlots> {
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        // SAFETY: the mapping stays valid only while nobody shrinks the
        // file (that would make an access fault with SIGBUS). The processes
        // of this exercise only ever create it once, at its full size.
        let map = unsafe { MmapMut::map_mut(&file)? };
        Ok(SharedSlots { map })
    }

    /// The slots. Other processes may change them at any time, so they are
    /// atomics: a plain `&mut [u64]` here would be a data race.
    pub fn slots(&self) -> &[AtomicU64] {
        let len = self.map.len() / size_of::<u64>();
        // SAFETY: a mapping starts on a page boundary, so it is aligned for
        // AtomicU64, which has the size and layout of u64; the slice lives
        // no longer than `self.map`, and only atomic operations touch it.
        unsafe { std::slice::from_raw_parts(self.map.as_ptr().cast::<AtomicU64>(), len) }
    }
}
// ANCHOR_END: shared_slots

// ANCHOR: fill_shared
/// What the worker does with `--fill-shared PATH`: stores `stage_value(i)`
/// into slot `i` of the shared file, for every slot. Nothing is sent back:
/// the parent reads the slots once this process has exited.
pub fn fill_shared(path: &Path) -> io::Result<()> {
    let shared = SharedSlots::open(path)?;
    for (i, slot) in shared.slots().iter().enumerate() {
        slot.store(stage_value(i as u64), Ordering::Release);
    }
    Ok(())
}

/// The value the worker stores in slot `i`.
pub fn stage_value(i: u64) -> u64 {
    i * i + 1
}
// ANCHOR_END: fill_shared
