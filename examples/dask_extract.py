#!/usr/bin/env python3
"""Extract every case of a manifest on a Dask cluster, one task per case.

    python examples/dask_extract.py MANIFEST --params P.yaml --out OUT.csv --workers N
    python examples/dask_extract.py MANIFEST --params P.yaml --out OUT.csv --scheduler tcp://HOST:8786

Without ``--scheduler`` a local cluster of N worker processes is started. With it, the tasks run
on that cluster's workers, which need the ``radsurv`` package installed and the manifest's image
and mask paths readable (a shared file system); the parameters are read here and shipped with
each task. OUT.csv equals what ``radsurv extract --manifest MANIFEST --params P.yaml --out OUT.csv``
writes: same columns and values, rows in manifest order. A failed case is reported on stderr and
left out; the exit status is then 1.
"""

import argparse
import sys

import radsurv
from dask.distributed import Client, LocalCluster, as_completed


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest", help="CSV: case_id,image,mask[,label,segment,reader]")
    parser.add_argument("--params", help="PyRadiomics parameter file (default: its defaults)")
    parser.add_argument("--out", required=True, help="features CSV to write")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    return parser.parse_args(argv)


def connect(args):
    """A client of the given scheduler, or of a local cluster of single-threaded processes."""
    if args.scheduler:
        return Client(args.scheduler)
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True)
    return Client(cluster)


def extract_all(client, entries, params):
    """Rows of ``radsurv.extract_case`` in manifest order; a task that dies becomes a failed row."""
    futures = {
        client.submit(radsurv.extract_case, entry, params, pure=False): i
        for i, entry in enumerate(entries)
    }
    rows = [None] * len(entries)
    for future in as_completed(futures):
        i = futures[future]
        try:
            rows[i] = future.result()
        except Exception as e:  # a worker lost or a task killed: report the case, go on
            case_id, reader = entries[i][0], entries[i][5]
            rows[i] = (case_id, reader, None, "task failed: %s" % e)
    return rows


def main(argv=None):
    args = parse_args(argv)
    try:
        entries = radsurv.read_manifest(args.manifest)
        params = radsurv.params_document(args.params)
    except (ValueError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    with connect(args) as client:
        rows = extract_all(client, entries, params)
    with open(args.out, "w", newline="") as f:
        f.write(radsurv.features_csv(rows, params))
    failed = [(case_id, error) for case_id, _, _, error in rows if error is not None]
    for case_id, error in failed:
        print("case %s: error: %s" % (case_id, error), file=sys.stderr)
    if failed:
        print("%d of %d cases failed" % (len(failed), len(rows)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
