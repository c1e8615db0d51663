#!/usr/bin/env python3
"""OpenCV references for the CLI filter tests (run once with /usr/bin/python3 from this folder).

opencv_gaussian_sigma2_chelsea.png: cv2.GaussianBlur(σ = 2, ksize 13 = 2·⌈3σ⌉ + 1) of samples/skimage_chelsea.png
with OpenCV's default border, BORDER_REFLECT_101 (= imgconv's `reflect`), on the 8-bit pixels.
opencv_sobel_x_camera_crop.npy: cv2.Sobel(dx=1, ksize=3) of samples/skimage_camera.png scaled to [0, 1], float32,
BORDER_REFLECT_101; rows 0–127, columns 0–127 only (a corner, so the border is included), to stay small.
"""
import os
import cv2
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
samples = os.path.join(here, "..", "..", "..", "samples")

bgr = cv2.imread(os.path.join(samples, "skimage_chelsea.png"), cv2.IMREAD_UNCHANGED)
blurred = cv2.GaussianBlur(bgr, (13, 13), 2.0, borderType=cv2.BORDER_REFLECT_101)
cv2.imwrite(os.path.join(here, "opencv_gaussian_sigma2_chelsea.png"), blurred)

gray = cv2.imread(os.path.join(samples, "skimage_camera.png"), cv2.IMREAD_UNCHANGED).astype(np.float32) / 255
sobel = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3, borderType=cv2.BORDER_REFLECT_101)
crop = sobel[:128, :128]
np.save(os.path.join(here, "opencv_sobel_x_camera_crop.npy"), crop.reshape(1, 1, *crop.shape))
