#!/usr/bin/env python3
"""Draws the sequence diagrams of the call kinds (static/sequence-*.svg).

Run from the repository root: python3 static/sequence_diagrams.py
Each diagram is a list of lifelines and steps; a step is an arrow from one lifeline to another
with a label, a note across lifelines, or a divider.
"""

from html import escape

WIDTH_PER_LANE = 190
TOP = 70
STEP = 38
FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="13"'


def draw(name, title, lanes, steps):
    width = WIDTH_PER_LANE * len(lanes) + 40
    height = TOP + STEP * (len(steps) + 1) + 30
    x = {lane: 20 + WIDTH_PER_LANE * i + WIDTH_PER_LANE // 2 for i, lane in enumerate(lanes)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT}>',
        f'  <title>{escape(title)}</title>',
        '  <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
        f'  <rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'  <text x="{width // 2}" y="24" text-anchor="middle" font-weight="bold" '
        f'font-size="15">{escape(title)}</text>',
    ]
    for lane in lanes:
        out.append(
            f'  <rect x="{x[lane] - 80}" y="36" width="160" height="26" rx="5" '
            f'fill="#e8f1fb" stroke="#3b7dd8"/>')
        out.append(
            f'  <text x="{x[lane]}" y="54" text-anchor="middle">{escape(lane)}</text>')
        out.append(
            f'  <line x1="{x[lane]}" y1="62" x2="{x[lane]}" y2="{height - 20}" '
            f'stroke="#999" stroke-dasharray="4,4"/>')
    y = TOP + STEP // 2
    for step in steps:
        kind = step[0]
        if kind == 'arrow':
            _, src, dst, label, *style = step
            dashed = ' stroke-dasharray="6,4"' if style and style[0] == 'dashed' else ''
            x1, x2 = x[src], x[dst]
            out.append(
                f'  <line x1="{x1}" y1="{y}" x2="{x2 - 6 if x2 > x1 else x2 + 6}" y2="{y}" '
                f'stroke="#333"{dashed} marker-end="url(#arrow)"/>')
            out.append(
                f'  <text x="{(x1 + x2) // 2}" y="{y - 6}" text-anchor="middle">'
                f'{escape(label)}</text>')
        elif kind == 'note':
            _, first, last, label = step
            left, right = min(x[first], x[last]) - 85, max(x[first], x[last]) + 85
            needed = len(label) * 7 + 20
            if right - left < needed:
                centre = (left + right) // 2
                left = max(5, centre - needed // 2)
                right = min(width - 5, left + needed)
                left = right - needed
            out.append(
                f'  <rect x="{left}" y="{y - 16}" width="{right - left}" height="24" rx="4" '
                f'fill="#fdf3e3" stroke="#d88b1f"/>')
            out.append(
                f'  <text x="{(left + right) // 2}" y="{y + 1}" text-anchor="middle">'
                f'{escape(label)}</text>')
        y += STEP
    out.append('</svg>')
    with open(f'static/sequence-{name}.svg', 'w') as f:
        f.write('\n'.join(out) + '\n')


draw('single', 'Single call (the proposal\'s; durable)',
     ['client', 'request topic', 'server group A', 'reply topic'],
     [('arrow', 'client', 'request topic', 'request (key = id)'),
      ('note', 'request topic', 'request topic', 'waits for a server if none'),
      ('arrow', 'request topic', 'server group A', 'one server of the group'),
      ('note', 'server group A', 'server group A', 'handler runs'),
      ('arrow', 'server group A', 'reply topic', 'reply (serverSub)'),
      ('arrow', 'reply topic', 'client', 'reply completes the call', 'dashed'),
      ('note', 'server group A', 'server group A', 'request acknowledged')])

draw('multi', 'Multi-call: every group claims, then answers',
     ['client', 'request topic', 'group A', 'group B', 'reply topic'],
     [('arrow', 'client', 'request topic', 'request, rpc-kind=multi'),
      ('arrow', 'request topic', 'group A', 'copy for A'),
      ('arrow', 'request topic', 'group B', 'copy for B'),
      ('arrow', 'group A', 'reply topic', 'claim (A)'),
      ('arrow', 'group B', 'reply topic', 'claim (B)'),
      ('arrow', 'reply topic', 'client', 'claims: expect A and B', 'dashed'),
      ('note', 'client', 'client', 'expect as many groups as the last call had'),
      ('arrow', 'group A', 'reply topic', 'reply (A)'),
      ('arrow', 'group B', 'reply topic', 'reply (B)'),
      ('arrow', 'reply topic', 'client', 'both answered: [A, B]', 'dashed'),
      ('note', 'client', 'reply topic', 'no claim in the claim window: NO_RESPONDERS')])

draw('topic', 'Topic call: only servers that registered the topic',
     ['client', 'orders.topic.eu', 'server (eu)', 'reply topic'],
     [('note', 'server (eu)', 'server (eu)', 'registerTopicAsync("eu")'),
      ('arrow', 'client', 'orders.topic.eu', 'request, rpc-claim, rpc-topic=eu'),
      ('arrow', 'orders.topic.eu', 'server (eu)', 'one server of the group'),
      ('arrow', 'server (eu)', 'reply topic', 'claim'),
      ('arrow', 'server (eu)', 'reply topic', 'reply'),
      ('arrow', 'reply topic', 'client', 'claim, then reply', 'dashed'),
      ('note', 'client', 'reply topic', 'nobody registered "eu": NO_RESPONDERS after the claim window')])

draw('affinity', 'Affinity call: offers, one selection, one run',
     ['client', 'orders.affinity', 'instance 1', 'instance 2', 'reply topic'],
     [('arrow', 'client', 'orders.affinity', 'request, rpc-kind=affinity'),
      ('arrow', 'orders.affinity', 'instance 1', 'every instance'),
      ('arrow', 'orders.affinity', 'instance 2', 'every instance'),
      ('arrow', 'instance 1', 'reply topic', 'offer 0.3'),
      ('arrow', 'instance 2', 'reply topic', 'offer 0.9'),
      ('arrow', 'reply topic', 'client', 'offers', 'dashed'),
      ('note', 'client', 'client', 'SelectionOptions pick instance 2'),
      ('arrow', 'client', 'orders.affinity', 'select: instance 2'),
      ('arrow', 'orders.affinity', 'instance 2', 'runs the held request'),
      ('arrow', 'orders.affinity', 'instance 1', 'drops its held request'),
      ('arrow', 'instance 2', 'reply topic', 'reply'),
      ('arrow', 'reply topic', 'client', 'reply completes the call', 'dashed')])

draw('stream', 'Stream: open, flow control, heartbeat, close',
     ['client', 'request topic', 'server instance', 'server inbox', 'client inbox'],
     [('arrow', 'client', 'request topic', 'open (id, window 256, heartbeat)'),
      ('arrow', 'request topic', 'server instance', 'one server of each group'),
      ('arrow', 'server instance', 'client inbox', 'accept (its inbox topic)'),
      ('arrow', 'client inbox', 'client', 'first accept wins; others get close', 'dashed'),
      ('arrow', 'client', 'server inbox', 'confirm'),
      ('arrow', 'server inbox', 'server instance', 'handler.onOpen(stream)', 'dashed'),
      ('arrow', 'client', 'server inbox', 'data seq 1..256 (window full: sends wait)'),
      ('arrow', 'server inbox', 'server instance', 'taken by receiveAsync', 'dashed'),
      ('arrow', 'server instance', 'client inbox', 'ack seq 128 (half the window taken)'),
      ('arrow', 'client inbox', 'client', 'sends 1..128 complete; window reopens', 'dashed'),
      ('arrow', 'server instance', 'client inbox', 'data seq 1.. (the other way)'),
      ('note', 'client', 'server instance', 'idle: heartbeat each interval; silent 2.5 intervals: UNAVAILABLE'),
      ('arrow', 'client', 'server inbox', 'close (code, message)'),
      ('arrow', 'server inbox', 'server instance', 'receive fails: StreamClosedException', 'dashed')])
