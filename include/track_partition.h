/*
 * track_partition.h — tracking the partitions of a watched partitioned table
 * (extension/track_partition.c).
 */
#ifndef LETTERS_TRIAGE_TRACK_PARTITION_H
#define LETTERS_TRIAGE_TRACK_PARTITION_H

extern Oid	lt_partition_root(Oid relid, Oid nspid);

#endif							/* LETTERS_TRIAGE_TRACK_PARTITION_H */
