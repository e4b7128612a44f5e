#!/usr/bin/python3
# promparse.py: parse a Prometheus text exposition (standard input) with
# the real parser of Debian's python3-prometheus-client, and print what it
# read as JSON: {"families": {name: type}, "samples": [[name, labels,
# value], ...]}.  A scrape it cannot parse fails with its error.
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families

text = sys.stdin.read()
families = {}
samples = []
for fam in text_string_to_metric_families(text):
    families[fam.name] = fam.type
    for s in fam.samples:
        v = s.value
        if math.isinf(v):
            v = 'Inf' if v > 0 else '-Inf'
        samples.append([s.name, s.labels, v])
json.dump({'families': families, 'samples': samples}, sys.stdout)
