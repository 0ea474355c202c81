"""A shaded mannequin for the 22-joint skeleton: tapered capsules per bone, a head, hand and foot
blocks, all in ONE mesh per body, plus a soft contact shadow on the floor.

The unit geometry of every part is built once (`BodyGeometry`); a frame is drawn by placing each
part's local frame (bone axis u, side v, third axis w) at its joints with numpy and writing the
vertex and normal arrays straight into the mesh item's buffers (no MeshData rebuild per frame).
Positions are in the GL view's Z-up frame (see skeleton_item.hml_to_gl).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Mannequin surface: a light neutral "wood" with the chain colour as a tint.
BASE_COLOR = np.array([0.80, 0.78, 0.74], dtype=np.float32)
TINT_STRENGTH = 0.5
SIDE_TINTS = {
    "left": (0.20, 0.55, 1.00),
    "right": (1.00, 0.35, 0.25),
    "spine": (0.95, 0.85, 0.30),
}
SHADOW_RADIUS = 0.42  # metres
SHADOW_ALPHA = 0.55
UP = np.array([0.0, 0.0, 1.0], dtype=np.float32)


@dataclass(frozen=True)
class Part:
    """One piece of the body between two points on the line j0 -> j1 (t0, t1 along it).

    kind "capsule": tapered capsule, radii (side, depth) at each end; "box": a block.
    frame "body": cross-section oriented by the hips (torso, feet); "limb": any perpendicular.
    """

    j0: int
    j1: int
    kind: str
    r0: tuple[float, float]
    r1: tuple[float, float]
    side: str
    t0: float = 0.0
    t1: float = 1.0
    drop: tuple[float, float] = (0.0, 0.0)  # box only: lower each end by this much (metres, world -Z)


# (parent, child) joints of HumanML3D's 22-joint skeleton; radii in metres.
PARTS: tuple[Part, ...] = (
    # legs: thigh, shin
    Part(2, 5, "capsule", (0.075, 0.075), (0.052, 0.052), "right"),
    Part(5, 8, "capsule", (0.052, 0.052), (0.040, 0.040), "right"),
    Part(1, 4, "capsule", (0.075, 0.075), (0.052, 0.052), "left"),
    Part(4, 7, "capsule", (0.052, 0.052), (0.040, 0.040), "left"),
    # pelvis (hip to hip through the pelvis) and torso
    Part(2, 1, "capsule", (0.085, 0.085), (0.085, 0.085), "spine", t0=-0.05, t1=1.05),
    Part(0, 3, "capsule", (0.120, 0.085), (0.115, 0.080), "spine"),
    Part(3, 6, "capsule", (0.115, 0.080), (0.125, 0.085), "spine"),
    Part(6, 9, "capsule", (0.125, 0.085), (0.135, 0.085), "spine"),
    Part(9, 12, "capsule", (0.090, 0.070), (0.045, 0.045), "spine"),
    # head: an egg above the head joint, on the neck -> head line
    Part(12, 15, "capsule", (0.040, 0.040), (0.040, 0.040), "spine", t0=0.0, t1=1.0),
    Part(12, 15, "capsule", (0.090, 0.095), (0.085, 0.090), "spine", t0=1.35, t1=2.0),
    # shoulders and arms
    Part(9, 14, "capsule", (0.060, 0.055), (0.055, 0.050), "right", t0=0.3),
    Part(14, 17, "capsule", (0.055, 0.050), (0.050, 0.050), "right"),
    Part(17, 19, "capsule", (0.047, 0.047), (0.037, 0.037), "right"),
    Part(19, 21, "capsule", (0.037, 0.037), (0.030, 0.030), "right"),
    Part(9, 13, "capsule", (0.060, 0.055), (0.055, 0.050), "left", t0=0.3),
    Part(13, 16, "capsule", (0.055, 0.050), (0.050, 0.050), "left"),
    Part(16, 18, "capsule", (0.047, 0.047), (0.037, 0.037), "left"),
    Part(18, 20, "capsule", (0.037, 0.037), (0.030, 0.030), "left"),
    # hands: blocks beyond the wrist, along the forearm
    Part(19, 21, "box", (0.040, 0.020), (0.045, 0.018), "right", t0=1.05, t1=1.75),
    Part(18, 20, "box", (0.040, 0.020), (0.045, 0.018), "left", t0=1.05, t1=1.75),
    # feet: blocks from behind the ankle to past the toe joint, sitting on the sole
    Part(8, 11, "box", (0.045, 0.040), (0.045, 0.022), "right", t0=-0.3, t1=1.15, drop=(0.035, -0.028)),
    Part(7, 10, "box", (0.045, 0.040), (0.045, 0.022), "left", t0=-0.3, t1=1.15, drop=(0.035, -0.028)),
)
HEAD_PART = 10  # index of the head egg in PARTS (labels go above it)


def _capsule(n_around: int = 12, n_cap: int = 4):
    """Unit tapered capsule: per vertex (end, axial, cos-term, sin-term) and triangles.

    A vertex at end e sits at joint_e + r_ax*axial*u + r_side*c*v + r_depth*s*w; its normal is
    (axial/r_ax) u + (c/r_side) v + (s/r_depth) w, normalised per part.
    """
    rings = []  # (end, phi): phi = -90 deg at the far tip of end 0 .. 0 at the end's equator
    for i in range(n_cap + 1):
        rings.append((0, -np.pi / 2 + (np.pi / 2) * i / n_cap))
    for i in range(n_cap + 1):
        rings.append((1, (np.pi / 2) * i / n_cap))
    theta = np.linspace(0, 2 * np.pi, n_around, endpoint=False)
    end, ax, c, s = [], [], [], []
    for e, phi in rings:
        end += [e] * n_around
        ax += [np.sin(phi)] * n_around
        c += list(np.cos(phi) * np.cos(theta))
        s += list(np.cos(phi) * np.sin(theta))
    faces = []
    for r in range(len(rings) - 1):
        for k in range(n_around):
            a, b = r * n_around + k, r * n_around + (k + 1) % n_around
            a2, b2 = a + n_around, b + n_around
            faces += [(a, a2, b), (b, a2, b2)]
    return (np.array(end), np.array(ax), np.array(c), np.array(s), np.array(faces))


def _box():
    """Unit block: 24 vertices (flat-shaded faces); t in {0, 1} along the axis, x, y in {-1, 1}.
    Returns (t, x, y, normal coefficients (nu, nv, nw)) and triangles."""
    t, x, y, n, faces = [], [], [], [], []

    def quad(corners, normal):
        base = len(t)
        for ct, cx, cy in corners:
            t.append(ct)
            x.append(cx)
            y.append(cy)
            n.append(normal)
        faces.extend([(base, base + 1, base + 2), (base, base + 2, base + 3)])

    quad([(0, -1, -1), (0, -1, 1), (0, 1, 1), (0, 1, -1)], (-1, 0, 0))
    quad([(1, -1, -1), (1, 1, -1), (1, 1, 1), (1, -1, 1)], (1, 0, 0))
    quad([(0, -1, -1), (1, -1, -1), (1, -1, 1), (0, -1, 1)], (0, -1, 0))
    quad([(0, 1, -1), (0, 1, 1), (1, 1, 1), (1, 1, -1)], (0, 1, 0))
    quad([(0, -1, -1), (0, 1, -1), (1, 1, -1), (1, -1, -1)], (0, 0, -1))
    quad([(0, -1, 1), (1, -1, 1), (1, 1, 1), (0, 1, 1)], (0, 0, 1))
    return np.array(t, float), np.array(x, float), np.array(y, float), np.array(n, float), np.array(faces)


class BodyGeometry:
    """Per-vertex coefficients of the whole body, built once and shared by every body shown."""

    def __init__(self, parts: tuple[Part, ...] = PARTS, n_around: int = 12, n_cap: int = 4) -> None:
        cap_end, cap_ax, cap_c, cap_s, cap_faces = _capsule(n_around, n_cap)
        box_t, box_x, box_y, box_n, box_faces = _box()
        T, AX, X, Y, DROP, NU, NV, NW, PID, COL, FACES = ([] for _ in range(11))
        offset = 0
        for pid, part in enumerate(parts):
            tint = np.array(SIDE_TINTS[part.side], dtype=np.float32)
            colour = (1 - TINT_STRENGTH) * BASE_COLOR + TINT_STRENGTH * tint
            if part.kind == "capsule":
                r_side = np.where(cap_end == 0, part.r0[0], part.r1[0])
                r_depth = np.where(cap_end == 0, part.r0[1], part.r1[1])
                r_ax = np.minimum(r_side, r_depth)
                t = np.where(cap_end == 0, part.t0, part.t1)
                T.append(t)
                AX.append(r_ax * cap_ax)
                X.append(r_side * cap_c)
                Y.append(r_depth * cap_s)
                DROP.append(np.zeros_like(t))
                nrm = np.stack([cap_ax / r_ax, cap_c / r_side, cap_s / r_depth], axis=1)
                faces, nv = cap_faces, len(t)
            else:
                t = part.t0 + box_t * (part.t1 - part.t0)
                r_side = np.where(box_t == 0, part.r0[0], part.r1[0])
                r_depth = np.where(box_t == 0, part.r0[1], part.r1[1])
                T.append(t)
                AX.append(np.zeros_like(t))
                X.append(r_side * box_x)
                Y.append(r_depth * box_y)
                DROP.append(np.where(box_t == 0, part.drop[0], part.drop[1]))
                nrm = box_n.copy()
                faces, nv = box_faces, len(t)
            nrm /= np.linalg.norm(nrm, axis=1, keepdims=True)
            NU.append(nrm[:, 0])
            NV.append(nrm[:, 1])
            NW.append(nrm[:, 2])
            PID.append(np.full(nv, pid))
            COL.append(np.repeat(np.append(colour, 1.0)[None], nv, axis=0))
            FACES.append(faces + offset)
            offset += nv
        cat = lambda xs: np.concatenate(xs).astype(np.float32)[:, None]  # noqa: E731
        self.t, self.ax, self.x, self.y, self.drop = cat(T), cat(AX), cat(X), cat(Y), cat(DROP)
        self.nu, self.nv, self.nw = cat(NU), cat(NV), cat(NW)
        self.pid = np.concatenate(PID)
        self.colors = np.concatenate(COL).astype(np.float32)
        self.faces = np.concatenate(FACES).astype(np.uint32)
        self.j0 = np.array([p.j0 for p in parts])
        self.j1 = np.array([p.j1 for p in parts])
        self.body_frame = np.array([p.side == "spine" or p.kind == "box" for p in parts])
        self.n_vertices = offset

    def pose(self, joints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(vertices, normals), each (n_vertices, 3) float32, for one (22, 3) Z-up frame."""
        j = np.asarray(joints, dtype=np.float32)
        p0, p1 = j[self.j0], j[self.j1]
        d = p1 - p0
        length = np.linalg.norm(d, axis=1, keepdims=True)
        u = d / np.maximum(length, 1e-6)
        # Body side axis from the hips (left hip - right hip), level with the floor.
        lateral = j[1] - j[2]
        lateral = lateral / max(float(np.linalg.norm(lateral)), 1e-6)
        forward = np.cross(UP, lateral)
        forward /= max(float(np.linalg.norm(forward)), 1e-6)
        ref = np.where((np.abs(u @ lateral) > 0.9)[:, None], forward[None], lateral[None])
        ref = np.where(self.body_frame[:, None] & (np.abs(u @ lateral) <= 0.9)[:, None], lateral[None], ref)
        v = ref - (ref * u).sum(1, keepdims=True) * u
        v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-6)
        w = np.cross(u, v)
        pid = self.pid
        U, V, W = u[pid], v[pid], w[pid]
        verts = p0[pid] + self.t * d[pid] + self.ax * U + self.x * V + self.y * W - self.drop * UP
        normals = self.nu * U + self.nv * V + self.nw * W
        return verts.astype(np.float32, copy=False), normals.astype(np.float32, copy=False)

    def head_top(self, joints: np.ndarray) -> np.ndarray:
        """A point just above the head (for a label)."""
        part = PARTS[HEAD_PART]
        j = np.asarray(joints, dtype=np.float32)
        centre = j[part.j0] + part.t1 * (j[part.j1] - j[part.j0])
        return centre + np.array([0.0, 0.0, 0.18], dtype=np.float32)


_GEOMETRY: BodyGeometry | None = None


def body_geometry() -> BodyGeometry:
    global _GEOMETRY
    if _GEOMETRY is None:
        _GEOMETRY = BodyGeometry()
    return _GEOMETRY


def shadow_disc(n: int = 32, rings: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit disc (radius 1, z=0): vertices, faces and RGBA colours fading from the centre out."""
    verts = [(0.0, 0.0, 0.0)]
    alpha = [1.0]
    for r in range(1, rings + 1):
        rad = r / rings
        for k in range(n):
            a = 2 * np.pi * k / n
            verts.append((rad * np.cos(a), rad * np.sin(a), 0.0))
            alpha.append((1 - rad) ** 1.6)
    faces = [(0, 1 + k, 1 + (k + 1) % n) for k in range(n)]
    for r in range(rings - 1):
        base = 1 + r * n
        for k in range(n):
            a, b = base + k, base + (k + 1) % n
            faces += [(a, a + n, b), (b, a + n, b + n)]
    colours = np.zeros((len(verts), 4), dtype=np.float32)
    colours[:, 3] = np.array(alpha) * SHADOW_ALPHA
    return np.array(verts, dtype=np.float32), np.array(faces, dtype=np.uint32), colours


_SHADER = None


def mannequin_shader():
    """Key light from the upper front left of the camera, a soft fill, a touch of rim light."""
    global _SHADER
    if _SHADER is None:
        from pyqtgraph.opengl import shaders

        _SHADER = shaders.ShaderProgram("motion_studio_mannequin", [
            shaders.VertexShader("""
                uniform mat4 u_mvp;
                uniform mat3 u_normal;
                attribute vec4 a_position;
                attribute vec3 a_normal;
                attribute vec4 a_color;
                varying vec4 v_color;
                varying vec3 v_normal;
                void main() {
                    v_normal = normalize(u_normal * a_normal);
                    v_color = a_color;
                    gl_Position = u_mvp * a_position;
                }
            """),
            shaders.FragmentShader("""
                #ifdef GL_ES
                precision mediump float;
                #endif
                varying vec4 v_color;
                varying vec3 v_normal;
                void main() {
                    vec3 n = normalize(v_normal);
                    float key = max(dot(n, normalize(vec3(-0.4, 0.6, 0.7))), 0.0);
                    float fill = max(dot(n, normalize(vec3(0.6, -0.2, 0.5))), 0.0);
                    float rim = pow(1.0 - max(n.z, 0.0), 3.0);
                    vec3 h = normalize(normalize(vec3(-0.4, 0.6, 0.7)) + vec3(0.0, 0.0, 1.0));
                    float spec = pow(max(dot(n, h), 0.0), 24.0);
                    vec3 rgb = v_color.rgb * (0.28 + 0.72 * key + 0.25 * fill) + 0.12 * rim + 0.10 * spec;
                    gl_FragColor = vec4(min(rgb, vec3(1.0)), v_color.a);
                }
            """),
        ])
    return _SHADER


def make_posed_mesh_class():
    """GLMeshItem whose vertex/normal buffers are written directly each frame."""
    from pyqtgraph.opengl import GLMeshItem
    from pyqtgraph.opengl.items.GLMeshItem import DirtyFlag

    class PosedMeshItem(GLMeshItem):
        def __init__(self, faces: np.ndarray, colors: np.ndarray, shader=None, glOptions="opaque") -> None:
            super().__init__(shader=shader, smooth=True, glOptions=glOptions)
            self._faces = np.ascontiguousarray(faces, dtype=np.uint32)
            self._colors = np.ascontiguousarray(colors, dtype=np.float32)
            self._verts = None
            self._normals = None
            self._dirty = DirtyFlag.POSITION | DirtyFlag.NORMAL | DirtyFlag.COLOR | DirtyFlag.FACES

        def set_geometry(self, vertices: np.ndarray, normals: np.ndarray | None = None) -> None:
            self._verts = np.ascontiguousarray(vertices, dtype=np.float32)
            self._dirty |= DirtyFlag.POSITION
            if normals is not None:
                self._normals = np.ascontiguousarray(normals, dtype=np.float32)
                self._dirty |= DirtyFlag.NORMAL
            self.update()

        def meshDataChanged(self):  # noqa: N802 - pyqtgraph name; our arrays are the data
            self.update()

        def parseMeshData(self):  # noqa: N802
            dirty = self._dirty
            self._dirty = DirtyFlag(0)
            self.vertexes, self.normals = self._verts, self._normals
            self.colors, self.faces = self._colors, self._faces
            if self._verts is None:
                return DirtyFlag(0)
            return dirty

    return PosedMeshItem


_POSED = None


def posed_mesh_item(faces, colors, shader=None, glOptions="opaque"):
    global _POSED
    if _POSED is None:
        _POSED = make_posed_mesh_class()
    return _POSED(faces, colors, shader=shader, glOptions=glOptions)
