//! A list that keeps its room: what the score domain's per-edit lists are
//! made of.

/// A list whose room, once made, is kept: shortening it only moves its
/// end. (A `Vec` truncated and grown again writes the room anew: megabytes
/// per edit at a million leads, as lists of moved leads shrink and grow.)
#[derive(Default)]
pub(super) struct Buf<T> {
    room: Vec<T>,
    len: usize,
}

impl<T: Copy + Default> Buf<T> {
    /// Room for at least `n`, all of it, to be written from the start
    /// before [`Buf::keep`].
    pub(super) fn room(&mut self, n: usize) -> &mut [T] {
        if self.room.len() < n {
            self.room.resize(n, T::default());
        }
        &mut self.room
    }

    /// The list is now the first `n` of the room.
    pub(super) fn keep(&mut self, n: usize) {
        self.len = n.min(self.room.len());
    }
}

impl<T> From<Vec<T>> for Buf<T> {
    fn from(room: Vec<T>) -> Buf<T> {
        Buf {
            len: room.len(),
            room,
        }
    }
}

impl<T> std::ops::Deref for Buf<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.room[..self.len]
    }
}

impl<T> std::ops::DerefMut for Buf<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.room[..self.len]
    }
}
