#!/usr/bin/env python3
"""The dependency picture, checked: no folder of src/ includes a header of a folder above it.

Folders, bottom to top, in the order a page flows (docs/architecture.md, "The house"). A
file may include headers of its own folder and of the folders below it. Two libraries have
one owner each: Tesseract's headers only in src/ocr/, libpq's only in src/store/.

Usage: layers.py SOURCE_ROOT      checks the tree; prints each problem, exits 1 if any
       layers.py --self-test      shows that a planted upward include is caught
"""
import os
import re
import sys

# rank of each folder; tools/eval sits above the pipeline it measures
FOLDERS = ['src/base', 'src/decode', 'src/normalize', 'src/image', 'src/enhance', 'src/qa', 'src/ocr',
           'src/layout', 'src/read', 'src/extract', 'src/store', 'src/pipeline', 'src/web', 'tools/eval', 'src/cli']
RANK = {f: i for i, f in enumerate(FOLDERS)}

# the folder that owns each public header in include/landrec/
HEADERS = {
    'clock': 'src/base', 'error': 'src/base', 'log': 'src/base', 'digest': 'src/base',
    'utf8': 'src/base', 'text': 'src/base', 'strbuf': 'src/base', 'tsv': 'src/base',
    'marks': 'src/base', 'file': 'src/base',
    'decode': 'src/decode',
    'normalize': 'src/normalize', 'gazetteer': 'src/normalize',
    'image': 'src/image', 'runs': 'src/image',
    'enhance': 'src/enhance',
    'qa': 'src/qa',
    'ocr': 'src/ocr', 'orient': 'src/ocr',
    'layout': 'src/layout',
    'pageread': 'src/read',
    'extract': 'src/extract',
    'store': 'src/store', 'conninfo': 'src/store', 'records': 'src/store', 'webstore': 'src/store', 'queue': 'src/store',
    'reprocess': 'src/store',
    'web': 'src/web',
    'page': 'src/pipeline', 'pipeline': 'src/pipeline', 'batch': 'src/pipeline', 'jobs': 'src/pipeline',
    'manifest': 'src/pipeline',
    'eval': 'tools/eval', 'metrics': 'tools/eval',
}

# a library's headers, and the one folder allowed to include them
OWNED = [(re.compile(r'^tesseract/'), 'src/ocr'), (re.compile(r'^(libpq-fe|libpq/|pg_config)'), 'src/store'),
         (re.compile(r'^(microhttpd|sodium)'), 'src/web')]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def folder_of(rel):
    for f in sorted(FOLDERS, key=len, reverse=True):
        if rel.startswith(f + '/'):
            return f
    return None


def check_file(rel, text, mine=None):
    """The problems of one file (path relative to the root, in folder mine) with this text."""
    problems = []
    mine = mine or folder_of(rel)
    if mine is None:
        return problems
    for m in INCLUDE.finditer(text):
        name = m.group(2)
        line = text.count('\n', 0, m.start()) + 1
        for pattern, owner in OWNED:
            if pattern.search(name) and mine != owner:
                problems.append(f'{rel}:{line}: includes <{name}>, which only {owner}/ may use')
        hm = re.match(r'^landrec/([a-z0-9_]+)\.h$', name)
        if not hm:
            continue
        owner = HEADERS.get(hm.group(1))
        if owner is None:
            problems.append(f'{rel}:{line}: {name} has no folder in layers.py HEADERS')
        elif RANK[owner] > RANK[mine]:
            problems.append(f'{rel}:{line}: {mine}/ includes {name} of {owner}/, a folder above it')
    return problems


def check_tree(root):
    problems = []
    files = 0
    for f in FOLDERS:
        for dirpath, _, names in os.walk(os.path.join(root, f)):
            for n in sorted(names):
                if not n.endswith(('.c', '.h')):
                    continue
                path = os.path.join(dirpath, n)
                rel = os.path.relpath(path, root)
                with open(path, encoding='utf-8') as fh:
                    problems += check_file(rel, fh.read())
                files += 1
    # a public header belongs to the folder that owns it: it too may only look down
    inc = os.path.join(root, 'include', 'landrec')
    for n in sorted(os.listdir(inc)):
        if not n.endswith('.h'):
            continue
        owner = HEADERS.get(n[:-2])
        if owner is None:
            problems.append(f'include/landrec/{n}: no folder in layers.py HEADERS')
            continue
        with open(os.path.join(inc, n), encoding='utf-8') as fh:
            problems += check_file('include/landrec/' + n, fh.read(), owner)
        files += 1
    return files, problems


def self_test():
    bad = check_file('src/ocr/x.c', '#include "landrec/store.h"\n#include <libpq-fe.h>\n')
    good = check_file('src/store/x.c', '#include "landrec/ocr.h"\n#include <libpq-fe.h>\n')
    ok = len(bad) == 2 and good == []
    print('self-test:', 'upward include and foreign libpq caught' if ok else f'FAILED {bad} {good}')
    return 0 if ok else 1


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    files, problems = check_tree(sys.argv[1])
    for p in problems:
        print(p)
    print(f'layers: {files} files, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
