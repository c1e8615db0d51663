#!/usr/bin/env python3
"""Reference 1-D Gaussian kernels from OpenCV's getGaussianKernel and scipy's gaussian_filter1d
(run once with /usr/bin/python3; writes gaussian_reference.json beside this file)."""
import json, math, os
import cv2
import numpy as np
from scipy.ndimage import gaussian_filter1d

cases = []
for sigma in [0.5, 0.8, 1.0, 1.5, 2.0, 3.3, 5.0, 10.0]:
    radius = math.ceil(3 * sigma)
    size = 2 * radius + 1
    opencv = cv2.getGaussianKernel(size, sigma, cv2.CV_64F).ravel()
    impulse = np.zeros(size); impulse[radius] = 1
    # scipy truncates at truncate*sigma; choose truncate so its radius equals ours.
    scipy = gaussian_filter1d(impulse, sigma, mode="constant", truncate=radius / sigma + 1e-9)
    cases.append({"sigma": sigma, "radius": radius, "opencv": opencv.tolist(), "scipy": scipy.tolist()})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "gaussian_reference.json"), "w") as f:
    json.dump(cases, f, indent=1)
