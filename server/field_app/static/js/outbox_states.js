// The states of an outbox row (outbox.js), apart from the outbox itself: the first screen
// counts and shows them without loading Dexie (idb_reads.js).
export const PENDING = 'pending', REJECTED = 'rejected', ACKED = 'acked';
