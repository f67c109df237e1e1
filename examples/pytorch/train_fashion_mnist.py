"""A real PyTorch DistributedDataParallel job under Coxswain: Fashion-MNIST, gloo on CPU, one process per rank.

    /usr/bin/python3 -m torch.distributed.run --redirects 1 --tee 1 --standalone --nproc_per_node 4 \
        examples/pytorch/train_fashion_mnist.py --job fmnist-1 --agent http://127.0.0.1:7070 --slow-rank 3

(Debian's torch 1.13 under Python 3.11 needs --redirects and --tee other than 0: its launcher cannot read 0 there.)

Each rank trains a two-layer perceptron on its share of every global batch (coxswain_torch.Steering hands out the
samples and applies the controller's knobs), until rank 0 measures the target test accuracy. This machine has no GPU,
so each rank emulates an accelerator of --device-speed samples per second: its compute for a batch of b samples takes
at least b / speed seconds (the gradient itself is computed for real), and --slow-rank computes --slow-factor times
slower, as on a slower or throttled GPU. The data comes from Debian's dataset-fashion-mnist package.
"""

import argparse
import gzip
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

try:
    from coxswain_torch import Steering  # pip install ./sdk/python
except ImportError:  # run from a checkout: the SDK beside this example
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sdk", "python"))
    from coxswain_torch import Steering

DATA = "/usr/share/datasets/fashion-mnist"


def idx(path, offset):
    """The payload of an IDX file (gzipped or not) after its header of offset bytes."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()[offset:]), dtype=torch.uint8)


def load(data, split):
    def find(name):
        for candidate in (os.path.join(data, name + ".gz"), os.path.join(data, name)):
            if os.path.exists(candidate):
                return candidate
        sys.exit("Fashion-MNIST file %s[.gz] not found in %s: install Debian's dataset-fashion-mnist "
                 "(apt-get install dataset-fashion-mnist) or give --data" % (name, data))
    images = idx(find(split + "-images-idx3-ubyte"), 16).float().div_(255.0).view(-1, 28 * 28)
    labels = idx(find(split + "-labels-idx1-ubyte"), 8).long()
    return images, labels


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--job", default="fmnist-ddp")
    p.add_argument("--agent", default=os.environ.get("COXSWAIN_AGENT_URL", "http://127.0.0.1:7070"))
    p.add_argument("--data", default=DATA)
    p.add_argument("--global-batch", type=int, default=512)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--lr-scaling", default="linear", choices=["none", "linear", "sqrt"])
    p.add_argument("--target", type=float, default=0.85, help="test accuracy to stop at (0: run --max-steps)")
    p.add_argument("--max-steps", type=int, default=3000)
    p.add_argument("--eval-every", type=int, default=20)
    p.add_argument("--device-speed", type=float, default=3000, help="emulated samples/s per rank (0: none)")
    p.add_argument("--slow-rank", type=int, default=-1)
    p.add_argument("--slow-factor", type=float, default=2.0)
    p.add_argument("--slow-after", type=float, default=0,
                   help="seconds after the start of training when the slow rank slows down")
    p.add_argument("--controller", choices=["off", "advise", "act"], help="the controller mode the job asks for")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()

    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(args.seed)
    images, labels = load(args.data, "train")
    test_x, test_y = load(args.data, "t10k") if rank == 0 else (None, None)

    net = torch.nn.Sequential(torch.nn.Linear(28 * 28, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    model = DistributedDataParallel(net)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    steering = Steering(model, optimizer, job=args.job, dataset_size=len(labels), global_batch=args.global_batch,
                        agent_url=args.agent, lr_scaling=args.lr_scaling, seed=args.seed, controller=args.controller)
    started = time.time()
    stop = torch.zeros(1)
    injected = False
    for step in steering.steps(args.max_steps):
        with step.data():
            x, y = images[step.indices], labels[step.indices]
        t0 = time.perf_counter()
        loss = F.cross_entropy(model(x), y)
        if args.device_speed > 0:
            slowed = rank == args.slow_rank and time.time() - started >= args.slow_after
            if slowed and not injected:
                injected = True       # the ground truth that detectors are judged against
                steering.client.event("injection.start", {"fault": "slowdown", "factor": args.slow_factor})
            slow = args.slow_factor if slowed else 1.0
            pad = slow * len(y) / args.device_speed - (time.perf_counter() - t0)
            if pad > 0:
                time.sleep(pad)       # the emulated device: before backward, so it counts as compute
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        step.report(loss=loss.item())
        if step.number % args.eval_every == args.eval_every - 1:
            if rank == 0:
                with torch.no_grad():
                    accuracy = (net(test_x).argmax(1) == test_y).float().mean().item()
                print("step %d at %.2f s: test accuracy %.4f (global batch %d, lr %.4f)"
                      % (step.number + 1, time.time() - started, accuracy, steering.global_batch,
                         optimizer.param_groups[0]["lr"]), flush=True)
                stop[0] = 1.0 if 0 < args.target <= accuracy else 0.0
            dist.broadcast(stop, 0)
            if stop[0] > 0:
                if rank == 0:
                    print("reached %.2f test accuracy at step %d in %.2f s"
                          % (args.target, step.number + 1, time.time() - started), flush=True)
                break
    steering.close()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
