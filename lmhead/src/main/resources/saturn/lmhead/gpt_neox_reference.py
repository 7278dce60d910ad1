#!/usr/bin/env python3
"""PyTorch-eager peer of saturn's lmhead (shipped with `saturn bench train` and used by its tests).

The same GPT-NeoX architecture as HF's GPTNeoXForCausalLM (parallel residual, rotate-half rotary on rotary_pct of
each head, per-head interleaved qkv, exact GELU, untied head), the same heads (softmax, StableMax in float64,
low-rank) and optimizers (AdamW, ⊥AdamW).  Needs only torch and numpy; reads saturn's safetensors with json+numpy.

  logits DIR TOKENS...      print the checkpoint's logits for one sequence as JSON (a cross-check of saturn's model)
  bench --preset P ...      train on random tokens and print one JSON line with ms/step, tokens/s, model TFLOP/s
                            (and MFU with --peak-tflops); --device cuda, --amp bf16, --compile for the GPU
"""
import argparse, contextlib, json, math, os, struct, sys, time

import numpy as np
import torch
import torch.nn.functional as F

PRESETS = {"tiny": (2, 64, 4), "pythia-14m": (6, 128, 4), "pythia-31m": (6, 256, 8),
           "pythia-70m": (6, 512, 8), "pythia-160m": (12, 768, 12)}
DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        out[name] = np.frombuffer(data[b:end], dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
    return out


class GPTNeoX(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        d, v, f = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"]
        self.h, self.hs = cfg["num_attention_heads"], d // cfg["num_attention_heads"]
        self.rot = int(self.hs * cfg["rotary_pct"])
        p = torch.nn.ParameterDict()
        self.names = []

        def add(name, *shape):
            self.names.append(name)
            p[name.replace(".", "__")] = torch.nn.Parameter(torch.zeros(*shape))
        add("gpt_neox.embed_in.weight", v, d)
        for i in range(cfg["num_hidden_layers"]):
            q = f"gpt_neox.layers.{i}."
            for ln in ("input_layernorm", "post_attention_layernorm"):
                add(q + ln + ".weight", d); add(q + ln + ".bias", d)
            add(q + "attention.query_key_value.weight", 3 * d, d); add(q + "attention.query_key_value.bias", 3 * d)
            add(q + "attention.dense.weight", d, d); add(q + "attention.dense.bias", d)
            add(q + "mlp.dense_h_to_4h.weight", f, d); add(q + "mlp.dense_h_to_4h.bias", f)
            add(q + "mlp.dense_4h_to_h.weight", d, f); add(q + "mlp.dense_4h_to_h.bias", d)
        add("gpt_neox.final_layer_norm.weight", d); add("gpt_neox.final_layer_norm.bias", d)
        rank = cfg.get("saturn", {}).get("head_rank", 0)
        if rank > 0:
            add("embed_out.down.weight", rank, d); add("embed_out.up.weight", v, rank)
        else:
            add("embed_out.weight", v, d)
        self.p = p
        small, wang = math.sqrt(2 / (5 * d)), 2 / (cfg["num_hidden_layers"] * math.sqrt(d))
        with torch.no_grad():
            for n in self.names:
                t = self.w(n)
                if n.endswith("layernorm.weight") or n.endswith("final_layer_norm.weight"):
                    t.fill_(1)
                elif n.endswith(".bias"):
                    t.zero_()
                else:
                    t.normal_(0, wang if n.endswith("attention.dense.weight") or n.endswith("dense_4h_to_h.weight") else small)

    def w(self, name):
        return self.p[name.replace(".", "__")]

    def rotary_tables(self, T, device):
        rot = self.rot
        inv = 1.0 / (self.cfg.get("rotary_emb_base", 10000) ** (torch.arange(0, rot, 2, dtype=torch.int64, device=device).float() / rot))
        fr = torch.outer(torch.arange(T, dtype=torch.float32, device=device), inv)
        emb = torch.cat((fr, fr), dim=-1)
        return emb.cos(), emb.sin()

    def rotary(self, x, cos, sin):
        rot = self.rot
        xr, xp = x[..., :rot], x[..., rot:]
        x1, x2 = xr[..., : rot // 2], xr[..., rot // 2:]
        return torch.cat((xr * cos + torch.cat((-x2, x1), dim=-1) * sin, xp), dim=-1)

    def forward(self, ids):
        B, T = ids.shape
        eps = self.cfg.get("layer_norm_eps", 1e-5)
        d = self.cfg["hidden_size"]
        x = F.embedding(ids, self.w("gpt_neox.embed_in.weight"))
        # Made on the input's device once per forward (a CPU mask or rotary table would not mix with CUDA tensors).
        mask = torch.full((T, T), float("-inf"), device=ids.device).triu(1)
        cos, sin = self.rotary_tables(T, ids.device) if self.rot > 0 else (None, None)
        for i in range(self.cfg["num_hidden_layers"]):
            q = f"gpt_neox.layers.{i}."
            a_in = F.layer_norm(x, (d,), self.w(q + "input_layernorm.weight"), self.w(q + "input_layernorm.bias"), eps)
            qkv = F.linear(a_in, self.w(q + "attention.query_key_value.weight"), self.w(q + "attention.query_key_value.bias"))
            qkv = qkv.view(B, T, self.h, 3 * self.hs)
            qq = qkv[..., : self.hs].permute(0, 2, 1, 3)
            kk = qkv[..., self.hs: 2 * self.hs].permute(0, 2, 1, 3)
            vv = qkv[..., 2 * self.hs:].permute(0, 2, 1, 3)
            if self.rot > 0:
                qq, kk = self.rotary(qq, cos, sin), self.rotary(kk, cos, sin)
            att = (qq @ kk.transpose(-1, -2)) * (1.0 / math.sqrt(self.hs)) + mask
            ctx = (att.softmax(-1) @ vv).permute(0, 2, 1, 3).reshape(B, T, d)
            attn = F.linear(ctx, self.w(q + "attention.dense.weight"), self.w(q + "attention.dense.bias"))
            m_in = F.layer_norm(x, (d,), self.w(q + "post_attention_layernorm.weight"), self.w(q + "post_attention_layernorm.bias"), eps)
            mlp = F.linear(F.gelu(F.linear(m_in, self.w(q + "mlp.dense_h_to_4h.weight"), self.w(q + "mlp.dense_h_to_4h.bias"))),
                           self.w(q + "mlp.dense_4h_to_h.weight"), self.w(q + "mlp.dense_4h_to_h.bias"))
            x = x + attn + mlp
        x = F.layer_norm(x, (d,), self.w("gpt_neox.final_layer_norm.weight"), self.w("gpt_neox.final_layer_norm.bias"), eps)
        if "embed_out.weight" in self.names:
            return F.linear(x, self.w("embed_out.weight"))
        return F.linear(F.linear(x, self.w("embed_out.down.weight")), self.w("embed_out.up.weight"))


def stablemax_ce(logits, y):
    z = logits.to(torch.float64)
    s = torch.where(z >= 0, z + 1, 1 / (1 - torch.clamp(z, max=0)))
    return (s.sum(-1).log() - s.gather(-1, y[:, None]).squeeze(-1).log()).mean()


def ortho_(params):
    for p in params:
        w, g = p.detach().view(-1), p.grad.view(-1)
        proj = torch.dot(w, g) / (torch.dot(w, w) + 1e-30)
        go = g - proj * w
        p.grad.copy_((go * (g.norm() / (go.norm() + 1e-30))).view_as(p.grad))


def cmd_logits(args):
    cfg = json.load(open(os.path.join(args.dir, "config.json")))
    m = GPTNeoX(cfg)
    t = read_safetensors(os.path.join(args.dir, "model.safetensors"))
    with torch.no_grad():
        for n in m.names:
            m.w(n).copy_(torch.from_numpy(t[n].astype(np.float32)))
        out = m(torch.tensor([args.tokens], dtype=torch.int64))
    print(json.dumps(out.reshape(-1).tolist()))


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def cmd_bench(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    L, d, h = PRESETS[args.preset]
    v = (args.vocab + 127) // 128 * 128
    rank, loss = 0, "softmax"
    for part in args.head.split("+"):
        if part.startswith("lowrank:"):
            rank = int(part.split(":")[1])
        elif part == "stablemax":
            loss = "stablemax"
    cfg = {"hidden_size": d, "vocab_size": v, "intermediate_size": 4 * d, "num_attention_heads": h,
           "num_hidden_layers": L, "rotary_pct": 0.25, "saturn": {"head_rank": rank}}
    dev = torch.device(args.device)
    if args.amp != "none" and dev.type != "cuda":
        sys.exit("--amp bf16 is for --device cuda")
    m = GPTNeoX(cfg).to(dev)
    # torch.compile (inductor) of the model's forward; its backward is compiled with it. Compilation happens in the
    # untimed warm-up steps. The loss, metrics and optimizer stay eager, as in saturn.
    fwd = torch.compile(m) if args.compile else m
    amp = torch.autocast("cuda", dtype=torch.bfloat16) if args.amp == "bf16" else contextlib.nullcontext()
    params = list(m.parameters())
    decay = [p for p in params if p.dim() >= 2]
    rest = [p for p in params if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": rest, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8, foreach=False)
    g = torch.Generator().manual_seed(args.seed)
    for step in range(args.warmup + args.steps):
        ids = torch.randint(0, args.vocab, (args.batch, args.seq_len + 1), generator=g).to(dev)
        if step == args.warmup:
            sync(dev)
            t0 = time.perf_counter()
        with amp:  # bf16 autocast: matmuls in bf16, softmax cross-entropy in float32, StableMax in float64
            logits = fwd(ids[:, :-1]).reshape(-1, v)
            y = ids[:, 1:].reshape(-1)
            lo = stablemax_ce(logits, y) if loss == "stablemax" else F.cross_entropy(logits, y)
        opt.zero_grad(set_to_none=False)
        lo.backward()
        if not args.no_metrics:  # the same per-step metrics saturn logs: SC fraction, grad/weight norms, cos(-g, w)
            with torch.no_grad():
                z = logits.detach()
                sc = ((z - z.max(-1, keepdim=True).values).exp().sum(-1) == 1).double().mean().item()
                gg = sum(torch.dot(p.grad.view(-1), p.grad.view(-1)).item() for p in params)
                gw = sum(torch.dot(p.grad.view(-1), p.view(-1)).item() for p in params)
                ww = sum(torch.dot(p.view(-1), p.view(-1)).item() for p in params)
            lo.item()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        if args.optimizer == "ortho-adamw":
            ortho_(params)
        opt.step()
    sync(dev)
    ms = 1000 * (time.perf_counter() - t0) / args.steps
    tokens_per_s = args.batch * args.seq_len / (ms / 1000)
    # Model FLOPs as saturn's bench counts them: 6 per multiplying parameter (all but the input embedding) per token,
    # plus attention's 12·L·d·T.
    n = sum(p.numel() for name, p in zip(m.names, (m.w(x) for x in m.names)) if name != "gpt_neox.embed_in.weight")
    flops_per_token = 6.0 * n + 12.0 * L * d * args.seq_len
    out = {"peer": "pytorch-compile" if args.compile else "pytorch-eager", "torch": torch.__version__,
           "preset": args.preset, "head": args.head, "optimizer": args.optimizer, "threads": args.threads,
           "device": args.device, "amp": args.amp,
           # what cuBLAS was allowed: the python flag or libtorch's TORCH_ALLOW_TF32_CUBLAS_OVERRIDE
           "tf32": bool(torch._C._get_cublas_allow_tf32()), "batch": args.batch, "seq_len": args.seq_len,
           "ms_per_step": ms, "tokens_per_s": tokens_per_s, "model_tflops": flops_per_token * tokens_per_s / 1e12,
           "final_loss": lo.item()}
    if args.peak_tflops > 0:
        out["peak_tflops"] = args.peak_tflops
        out["mfu"] = flops_per_token * tokens_per_s / 1e12 / args.peak_tflops
    if dev.type == "cuda":
        out["max_memory_allocated_bytes"] = torch.cuda.max_memory_allocated(dev)
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("logits"); a.add_argument("dir"); a.add_argument("tokens", type=int, nargs="+")
    b = sub.add_parser("bench")
    b.add_argument("--preset", default="tiny"); b.add_argument("--head", default="softmax")
    b.add_argument("--optimizer", default="adamw"); b.add_argument("--vocab", type=int, default=50257)
    b.add_argument("--batch", type=int, default=8); b.add_argument("--seq-len", type=int, default=128)
    b.add_argument("--steps", type=int, default=10); b.add_argument("--warmup", type=int, default=2)
    b.add_argument("--threads", type=int, default=2); b.add_argument("--lr", type=float, default=1e-3)
    b.add_argument("--weight-decay", type=float, default=0.1); b.add_argument("--seed", type=int, default=1)
    b.add_argument("--device", default="cpu", help="cpu or cuda")
    b.add_argument("--no-metrics", action="store_true", help="skip the per-step metrics saturn computes")
    b.add_argument("--amp", default="none", choices=["none", "bf16"], help="bf16 autocast of forward and loss (cuda)")
    b.add_argument("--compile", action="store_true", help="torch.compile the model (timed after the warm-up steps)")
    b.add_argument("--peak-tflops", type=float, default=0, help="the device's peak, for the mfu field (0: none)")
    args = ap.parse_args()
    cmd_logits(args) if args.cmd == "logits" else cmd_bench(args)


if __name__ == "__main__":
    main()
