import yaml,sys,collections,glob
allowed={"reflection","feeling_check","validation","empathy","open_question","closed_question","permission_ask","advice","invalidation","self_focus","defensiveness","repair","disengagement"}
ids=set();c=collections.Counter();n=0;none=0;q=0;ve=0
for f in sorted(glob.glob("trainer/data/coder-training/peer_support_*.yaml")):
    d=yaml.safe_load(open(f))
    assert len(d["cases"])<=400,f
    for k in d["cases"]:
        assert set(k)=={"id","partner","reply","codes"},k
        assert k["id"] not in ids,k["id"]; ids.add(k["id"])
        assert k["id"].startswith("ca-")
        assert isinstance(k["partner"],str) and isinstance(k["reply"],str),k
        bad=set(k["codes"])-allowed; assert not bad,(k["id"],bad)
        assert len(set(k["codes"]))==len(k["codes"]),k["id"]
        n+=1;c.update(k["codes"])
        if not k["codes"]:none+=1
        if {"open_question","closed_question"}&set(k["codes"]):q+=1
        if {"validation","empathy"}&set(k["codes"]):ve+=1
print("cases",n)
for k,v in c.most_common(): print(f"{k:16}{v:5} {100*v/n:5.1f}%")
print(f"{'none':16}{none:5} {100*none/n:5.1f}%"); print(f"{'any question':16}{q:5} {100*q/n:5.1f}%"); print(f"{'valid/empathy':16}{ve:5} {100*ve/n:5.1f}%")
