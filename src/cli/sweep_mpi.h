/*
** sweep_mpi.h - `migdev sweep` across MPI ranks (when built with MPI and
** launched by mpirun or srun; otherwise these do nothing).
*/
#ifndef MIGDEV_CLI_SWEEP_MPI_H
#define MIGDEV_CLI_SWEEP_MPI_H

#include "migdev/migdev.h"

/* When the process was started by an MPI launcher (the environment of
** Open MPI, PMIx or PMI says so), initialise MPI and return 1 with this
** process's rank and the number of ranks; ranks other than 0 then write
** nothing to stdout or stderr. Otherwise return 0. */
int sweep_mpi_begin(int *argc, char ***argv, int *rank, int *size);

/* Finalise MPI when begin returned 1. */
void sweep_mpi_end(int active, int status);

/* Run the sweep split across the ranks: blocks of runs dealt round-robin,
** each rank on `jobs` threads; rank 0 merges the results in run order and
** writes exactly what a single process writes. Returns the exit status. */
int sweep_mpi_run(const migdev_sweep *sw, const char *summary, const char *series,
                  const char *bands, const char *fan, int resume, int want_progress, int jobs,
                  long stop_after, const char *title, const char *time_units, int rank, int size);

/* The signal that interrupted the sweep, 0 when none (cmd_sweep.c). */
int sweep_interrupted(void);

#endif
