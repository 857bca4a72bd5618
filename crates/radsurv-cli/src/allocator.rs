//! The process's memory policy: the system allocator, with blocks of 4 MB and more marked for
//! transparent huge pages on Linux, and freed memory kept for reuse.
//!
//! A CT volume is read into fresh buffers of tens of megabytes, and the kernel otherwise maps
//! them in 4 kB pages, one page fault each on first write, a visible share of an extraction.
//! Where transparent huge pages are enabled for `madvise` (the common default), 2 MB pages cut
//! the faults by orders of magnitude. Elsewhere the advice is ignored; values are never affected.
//!
//! glibc by default gives blocks over 128 kB back to the kernel when they are freed, so a loop
//! that allocates such blocks (the LASSO-Cox cross-validation: matrixmultiply's packing
//! buffers, Hessian blocks; an extraction's filtered images, one volume-sized buffer after
//! another) faults the same memory in again and again, and the kernel zeroes every page of it
//! each time. [`keep_freed_memory`] keeps freed memory for reuse. Measurements:
//! `benches/README.md`.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks at least this large get the huge-page advice (smaller ones rarely span a 2 MB page).
const HUGE_BLOCK: usize = 4 << 20;

/// [`System`], advising huge pages for large blocks.
pub struct HugePageAllocator;

// SAFETY: every method forwards to `System` with the caller's arguments; the advice only
// changes how the kernel backs memory the block already owns.
unsafe impl GlobalAlloc for HugePageAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as received.
        advise_huge_pages(unsafe { System.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as received.
        advise_huge_pages(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as received.
        advise_huge_pages(unsafe { System.realloc(ptr, layout, new_size) }, new_size)
    }
}

/// Keeps freed memory in the process for reuse: every block comes from the heap (none gets a
/// mapping of its own, which `free` would unmap: the volume-sized buffers of an extraction are
/// larger than glibc's largest mmap threshold, 32 MB), and the heap is not trimmed below 1 GB
/// of free space, so the working set of one extraction (a few hundred MB for a whole organ at
/// 1 mm) stays mapped from one image type to the next. A block too large for a thread's arena
/// still gets its own mapping, as glibc falls back to one rather than fail.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn keep_freed_memory() {
    // SAFETY: mallopt only changes glibc's allocation thresholds; a refused value (another libc)
    // leaves the defaults.
    unsafe {
        libc::mallopt(libc::M_MMAP_MAX, 0);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn keep_freed_memory() {}

/// Asks for huge pages on the whole 4 kB pages inside `[block, block + size)`; returns `block`.
#[cfg(target_os = "linux")]
fn advise_huge_pages(block: *mut u8, size: usize) -> *mut u8 {
    const PAGE: usize = 4096;
    if !block.is_null() && size >= HUGE_BLOCK {
        let start = (block as usize).next_multiple_of(PAGE);
        let end = (block as usize + size) / PAGE * PAGE;
        // SAFETY: the range lies inside the block just allocated; madvise only records advice
        // (an error, e.g. no THP support, leaves the memory as it was and is ignored).
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
    block
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(block: *mut u8, _size: usize) -> *mut u8 {
    block
}
