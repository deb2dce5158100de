#!/usr/bin/env python3
# Re-test the mutants a bench/mutation.sh run reported LIVED against the code
# and tests of the checkout now: each mutation is applied at its file:line:col
# in a throwaway copy of the module and the package's tests run. A mutant whose
# token is no longer there (the code moved) is reported "no-token".
#
#   bench/mutation_recheck.py pkg/lint /tmp/mut/pkg_lint.log
#   RUNF='TestCheck' bench/mutation_recheck.py pkg/simulate LOG   # only some tests
#
# Only a mutant killed this way is certain; with RUNF, one that lives may
# still be killed by a test not run.
import sys, re, subprocess, os, tempfile
pkg = sys.argv[1].strip('./').rstrip('/')
logs = sys.argv[2:]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
copy = tempfile.mkdtemp(prefix='bgtask-recheck-')
subprocess.run('git archive HEAD | tar -x -C ' + copy, shell=True, cwd=root, check=True)
swap = {
 'CONDITIONALS_BOUNDARY': {'<':'<=','<=':'<','>':'>=','>=':'>'},
 'CONDITIONALS_NEGATION': {'==':'!=','!=':'==','<':'>=','<=':'>','>':'<=','>=':'<'},
 'INVERT_LOGICAL': {'&&':'||','||':'&&'},
 'ARITHMETIC_BASE': {'+':'-','-':'+','*':'/','/':'*','%':'*'},
 'INVERT_NEGATIVES': {'-':'+'},
 'INCREMENT_DECREMENT': {'++':'--','--':'++'},
 'INVERT_LOOPCTRL': {'continue':'break','break':'continue'},
 'INVERT_BITWISE': {'&':'|','|':'&','^':'&','&^':'&','<<':'>>','>>':'<<'},
 'INVERT_ASSIGNMENTS': {'+=':'-=','-=':'+=','*=':'/=','/=':'*=','%=':'*='},
 'INVERT_BWASSIGN': {'&=':'|=','|=':'&=','^=':'&=','<<=':'>>=','>>=':'<<='},
}
corpus = os.environ.get('BGTASK_CORPUS') or os.path.join(os.path.dirname(root), 'shared', 'corpus')
env = dict(os.environ, GOFLAGS='-count=1 -short', BGTASK_CORPUS=corpus)
seen=set(); results=[]
for lg in logs:
    for l in open(lg):
        m = re.search(r'LIVED (\S+) at (\S+?):(\d+):(\d+)', l)
        if not m: continue
        typ, f, line, col = m.group(1), m.group(2), int(m.group(3)), int(m.group(4))
        key=(typ,f,line,col)
        if key in seen: continue
        seen.add(key)
        path = os.path.join(copy, pkg, f)
        if not os.path.exists(path):
            results.append((key,'gone')); continue
        src = open(path).read().split('\n')
        text = src[line-1]; i = col-1
        table = swap.get(typ, {})
        tok = None
        for cand in sorted(table, key=len, reverse=True):
            if text[i:i+len(cand)] == cand:
                tok = cand; break
        if tok is None:
            results.append((key,'no-token:'+text[i:i+6])); print(key,'no token',repr(text[i:i+8]),flush=True); continue
        new = text[:i] + table[tok] + text[i+len(tok):]
        orig = list(src)
        src[line-1] = new
        open(path,'w').write('\n'.join(src))
        try:
            r = subprocess.run(['go','test','-failfast','-timeout','300s']+(['-run',os.environ['RUNF']] if os.environ.get('RUNF') else [])+['./'+pkg], cwd=copy, env=env, capture_output=True, text=True, errors='replace', timeout=400)
            st = 'killed' if r.returncode == 1 else ('lived' if r.returncode == 0 else 'error%d' % r.returncode)
            # A mutant go vet refuses (go test runs it first) is not killed by a test.
            if st == 'killed' and '[build failed]' in r.stdout + r.stderr:
                st = 'notviable'
        except subprocess.TimeoutExpired:
            st = 'timedout'
        open(path,'w').write('\n'.join(orig))
        results.append((key, st))
        print(f"{st:8} {typ} {f}:{line}:{col}  {text.strip()[:70]}", flush=True)
        if st == 'killed':
            # Which test noticed: a kill by a test that has nothing to do
            # with the mutant (a timing test on a loaded machine) is a flake.
            fails = [l.strip() for l in r.stdout.splitlines() if l.startswith('--- FAIL') or l.startswith('panic:')]
            print('         by', '; '.join(fails[:3]) or 'no FAIL line', flush=True)
c = {}
for k, s in results: c[s] = c.get(s,0)+1
print(c)
import shutil
shutil.rmtree(copy, ignore_errors=True)
